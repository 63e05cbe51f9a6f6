import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/registry.ts';

/** Every .ts file under a folder of the repo, relative to the repo root. */
function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, d), { withFileTypes: true })) {
      const rel = path.join(d, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) out.push(rel);
    }
  };
  walk(dir);
  return out;
}

const importsOf = (file: string): string[] =>
  [...fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)]
    .map((m) => m[1] ?? m[2] ?? m[3]!);

const IO = ['express', 'isomorphic-git', 'simple-git', 'meilisearch', 'node:fs', 'fs', 'fs/promises', 'node:fs/promises', 'node:child_process', 'child_process', 'node:http', 'node:net'];

describe('the dependency rule (DESIGN.md)', () => {
  it.each(['schema', 'server/domain'])('%s/ is pure: no HTTP, git, search engine, file system or processes', (dir) => {
    const offenders = sources(dir).flatMap((f) => importsOf(f).filter((i) => IO.includes(i)).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('schema/ depends on nothing of the server or the CLI', () => {
    const offenders = sources('schema').flatMap((f) => importsOf(f).filter((i) => /(^|\/)(server|cli|io)\//.test(i)).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('server/domain/ depends only on schema/, itself and the port types', () => {
    // Ports are interfaces (no code), named by the domain and implemented by adapters.
    const typeOnlyPorts = (f: string, i: string) =>
      path.normalize(path.join(path.dirname(f), i)) === 'server/store/ports.ts'
      && new RegExp(`import type [^;]*from ['"]${i.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`).test(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8'));
    const offenders = sources('server/domain').flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith('.') && !path.normalize(path.join(path.dirname(f), i)).match(/^(schema|server\/domain)\//) && !typeOnlyPorts(f, i))
        .map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('the CLI never imports the server', () => {
    const offenders = sources('cli').flatMap((f) =>
      importsOf(f).filter((i) => i.startsWith('.') && path.normalize(path.join(path.dirname(f), i)).startsWith('server/')).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('the import scanner sees imports (so the checks above are not vacuous)', () => {
    expect(importsOf('server/http/app.ts')).toContain('express');
    expect(sources('schema').length).toBeGreaterThan(20);
  });
});
