import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { buildDeps } from '../../server/compose.ts';
import { createApp } from '../../server/http/app.ts';
import { DEFAULT_LIMITS, type PackageLimits } from '../../schema/package-rules.ts';
import { writeArchive } from '../../schema/archive.ts';
import type { Deps } from '../../server/services/deps.ts';
import type { RateLimits } from '../../server/store/throttle-port.ts';
import type { PackageFile } from '../../schema/package-file.ts';
import { starterFiles, type StarterAnswers } from '../../cli/starter-design.ts';

export interface TestRegistry {
  dataDir: string;
  deps: Deps;
  app: Express;
  /** What the registry logged (deps.log), oldest first. */
  logs: string[];
  /** Register an account and return a publish token. */
  account(name: string): Promise<string>;
  /** What a restart sees: new adapters over the same data dir (closed by cleanup). */
  reopen(): Promise<Deps>;
  cleanup(): Promise<void>;
}

/** Rate limits no ordinary test reaches; tests of the limits pass their own. */
export const GENEROUS_RATE_LIMITS: RateLimits = {
  authPerAddressPerMinute: 100_000,
  loginFailuresPerAccount: 100_000,
  loginLockSeconds: 60,
  newDesigns: { burst: 100_000, everySeconds: 1 },
  versions: { burst: 100_000, everySeconds: 1 },
  yanks: { burst: 100_000, everySeconds: 1 },
};

export async function makeRegistry(opts: { limits?: Partial<PackageLimits>; quorum?: number; rateLimits?: Partial<RateLimits>; trustProxy?: boolean | number | string } = {}): Promise<TestRegistry> {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ohw-test-'));
  const logs: string[] = [];
  const rateLimits = { ...GENEROUS_RATE_LIMITS, ...opts.rateLimits };
  const deps = await buildDeps({ dataDir, limits: { ...DEFAULT_LIMITS, ...opts.limits }, quorum: opts.quorum ?? 2, rateLimits }, (l) => logs.push(l));
  const app = createApp(deps, opts.trustProxy === undefined ? {} : { trustProxy: opts.trustProxy });
  const reopened: Deps[] = [];
  return {
    dataDir,
    deps,
    app,
    logs,
    async account(name: string) {
      const res = await request(app).post('/api/v1/accounts').send({ name, email: `${name}@example.org`, password: 'correct horse battery' });
      if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    async reopen() {
      const again = await buildDeps({ dataDir, limits: { ...DEFAULT_LIMITS, ...opts.limits }, quorum: opts.quorum ?? 2, rateLimits });
      reopened.push(again);
      return again;
    },
    async cleanup() {
      for (const d of reopened.splice(0)) {
        for (const store of [d.designs, d.index] as Array<{ idle?: () => Promise<void> }>) await store.idle?.();
        await d.search.close();
        await d.db.close();
      }
      // Repacks queued behind the last writes still write packs: let them finish first.
      for (const store of [deps.designs, deps.index] as Array<{ idle?: () => Promise<void> }>) await store.idle?.();
      await deps.search.close();
      await deps.db.close();
      await fs.promises.rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** A small valid design as files (the same starter `ohw init` writes), with optional overrides. */
export function designFiles(name: string, version = '1.0.0', edit?: (yaml: string) => string, extra: Partial<StarterAnswers> = {}): PackageFile[] {
  const answers: StarterAnswers = {
    name, version, title: `Test ${name}`, summary: 'A small test design', function: 'Exercises the registry in tests',
    licenseHardware: 'CERN-OHL-S-2.0', licenseDocumentation: 'CC-BY-SA-4.0', licenseSoftware: 'NONE',
    category: 'Tool', processes: ['ASM', '3DP'], licensor: name.split('/')[0]!, language: 'en', ...extra,
  };
  return starterFiles(answers).map((f) => {
    // A responsible party, as certification requires (the starter leaves it for the designer).
    const yaml = f.path === 'design.yaml' ? withResponsibleParty(f.content, answers.licensor) : f.content;
    return { path: f.path, data: Buffer.from(f.path === 'design.yaml' && edit ? edit(yaml) : yaml) };
  });
}

/** design.yaml with a `responsibleParty` block after the licence (a certificate needs one). */
export function withResponsibleParty(yaml: string, name: string): string {
  return yaml.replace(/^license:/m, `responsibleParty:\n  type: Individual\n  name: ${JSON.stringify(name)}\n  country: DE\n  contact: ${name.replace(/[^a-z0-9-]/g, '')}@example.org\nlicense:`);
}

/** The same without it. */
export const withoutResponsibleParty = (yaml: string): string => yaml.replace(/^responsibleParty:\n(?: {2}.*\n)+/m, '');

export async function designArchive(name: string, version = '1.0.0', edit?: (yaml: string) => string): Promise<Buffer> {
  return writeArchive(designFiles(name, version, edit));
}

export function publish(app: Express, token: string | undefined, pkg: string, version: string, body: Buffer) {
  const req = request(app).put(`/api/v1/designs/${pkg}/versions/${version}`).set('Content-Type', 'application/gzip');
  if (token) req.set('Authorization', `Bearer ${token}`);
  return req.send(body);
}

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
