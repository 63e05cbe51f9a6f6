/**
 * The dependency rules of DESIGN.md, enforced with dependency-cruiser (rules in
 * .dependency-cruiser.cjs): no import cycles; schema/ and server/domain/ pure; schema/ stands
 * alone; the CLI never imports the server. dependency-cruiser cannot read TypeScript 7, so the
 * sources are transpiled with esbuild (which tsx already uses) into a scratch copy first; imports
 * that exist only for types vanish there, as they do at run time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { transformSync } from 'esbuild';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/registry.ts';

const ROOTS = ['schema', 'server', 'cli', 'io'];
let scratch: string;
let result: ICruiseResult;

/** Every .ts/.tsx under the roots → the same path with .js, relative `.ts` specifiers → `.js`. */
function transpileTree(into: string): void {
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) { walk(child); continue; }
      const out = path.join(into, child);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      if (e.name.endsWith('.json')) { fs.copyFileSync(path.join(REPO_ROOT, child), out); continue; }
      if (!/\.tsx?$/.test(e.name) || e.name.endsWith('.d.ts')) continue;
      const source = fs.readFileSync(path.join(REPO_ROOT, child), 'utf8');
      const { code } = transformSync(source, { loader: e.name.endsWith('.tsx') ? 'tsx' : 'ts', format: 'esm', jsx: 'automatic', jsxImportSource: 'preact', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false } } });
      // Only relative specifiers are renamed; they are the project's own modules.
      const js = code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']+?)\.tsx?\2/g, '$1$2$3.js$2');
      fs.writeFileSync(out.replace(/\.tsx?$/, '.js'), js);
    }
  };
  for (const root of ROOTS) walk(root);
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-architecture-'));
  transpileTree(scratch);
  const config = createRequire(import.meta.url)(path.join(REPO_ROOT, '.dependency-cruiser.cjs'));
  const cwd = process.cwd();
  process.chdir(scratch);
  try {
    const reported = await cruise(ROOTS, { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
    result = reported.output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
}, 120_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const describeViolation = (v: IViolation) =>
  v.cycle?.length ? `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => (typeof c === 'string' ? c : c.name))].join(' → ')}` : `${v.rule.name}: ${v.from} → ${v.to}`;
const violations = (rule: string) => result.summary.violations.filter((v) => v.rule.name === rule).map(describeViolation);

describe('the dependency rules (DESIGN.md), by dependency-cruiser', () => {
  it('no import cycles', () => {
    expect(violations('no-circular')).toEqual([]);
  });

  it('schema/ and server/domain/ are pure: no HTTP, git, database, search engine, file system or processes', () => {
    expect(violations('pure-core-no-io')).toEqual([]);
  });

  it('schema/ depends on nothing of the server, the CLI or io/', () => {
    expect(violations('schema-stands-alone')).toEqual([]);
  });

  it('server/domain/ depends only on schema/ and itself', () => {
    expect(violations('domain-only-schema')).toEqual([]);
  });

  it('the CLI never imports the server', () => {
    expect(violations('cli-never-imports-server')).toEqual([]);
  });

  it('the checker sees the code (so the checks above are not vacuous)', () => {
    const app = result.modules.find((m) => m.source === 'server/http/app.js');
    expect(app?.dependencies.map((d) => d.module)).toContain('express');
    expect(app?.dependencies.map((d) => d.resolved)).toContain('server/http/errors.js');
    expect(result.modules.filter((m) => m.source.startsWith('schema/')).length).toBeGreaterThan(20);
    // Rules do fire: a cycle and a forbidden import in the scratch copy are reported.
    expect(result.summary.totalCruised).toBeGreaterThan(100);
  });
});
