/**
 * A failing adapter never shows its insides to a client: no file path, git message, SQL, stack or
 * search-engine host. An unexpected failure answers `{error: {code: "INTERNAL", message,
 * requestId}}` and the log has the whole story under that request id.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.ts';
import { createSearchIndex } from '../../../server/search/create.ts';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry | undefined;
afterEach(async () => { await reg?.cleanup(); reg = undefined; });

const MEILI = 'http://127.0.0.1:9';

function expectNoInternals(res: request.Response, dataDir: string): void {
  const text = res.text;
  for (const secret of [dataDir, path.dirname(dataDir), '.git', 'node_modules', 'sqlite', 'SQLITE', 'ENOENT', '127.0.0.1:9', 'meili.internal']) {
    expect(text, `response leaks "${secret}"`).not.toContain(secret);
  }
  expect(text).not.toMatch(/\n\s+at |\bat .*\.ts:\d+/);
  expect(res.body.error?.details?.git).toBeUndefined();
}

function expectInternal(res: request.Response, logs: string[]): void {
  expect(res.status).toBe(500);
  expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message', 'requestId']);
  expect(res.body.error.code).toBe('INTERNAL');
  expect(res.body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  // The operator can find the full error by the id the client was given.
  expect(logs.some((l) => l.includes(res.body.error.requestId))).toBe(true);
}

async function withDesign(): Promise<{ reg: TestRegistry; token: string }> {
  const r = await makeRegistry();
  const token = await r.account('alice');
  expect((await publish(r.app, token, 'alice/gadget', '1.0.0', await designArchive('alice/gadget'))).status).toBe(201);
  return { reg: r, token };
}

describe('no internals in responses when an adapter fails', () => {
  it('git design store: objects gone from a design repository', async () => {
    const made = await withDesign();
    reg = made.reg;
    await fs.promises.rm(path.join(reg.deps.designs.repoPath('alice/gadget'), 'objects'), { recursive: true, force: true });
    const res = await request(reg.app).get('/api/v1/designs/alice/gadget/versions/1.0.0/files/design.yaml');
    expect(res.status).toBeGreaterThanOrEqual(500);
    expectNoInternals(res, reg.dataDir);
  });

  it('index store: the index repository lost its objects', async () => {
    const made = await withDesign();
    reg = made.reg;
    await fs.promises.rm(path.join(reg.dataDir, 'index.git', 'objects'), { recursive: true, force: true });
    const res = await request(reg.app).get('/api/v1/certifications/CR-000001');
    expect(res.status).toBeGreaterThanOrEqual(500);
    expectNoInternals(res, reg.dataDir);
  });

  it('account store (SQLite): a table is missing', async () => {
    const made = await withDesign();
    reg = made.reg;
    reg.deps.db.sqlite.exec('DROP TABLE tokens');
    const res = await request(reg.app).get('/api/v1/me').set('Authorization', `Bearer ${made.token}`);
    expectInternal(res, reg.logs);
    expectNoInternals(res, reg.dataDir);
    expect(reg.logs.join('\n')).toMatch(/no such table: tokens/);
  });

  it('search: Meilisearch unreachable, in /search and in the public /health', async () => {
    reg = await makeRegistry();
    const meili = createSearchIndex({ MEILI_HOST: MEILI });
    const app = createApp({ ...reg.deps, search: meili });
    try {
      const search = await request(app).get('/api/v1/search?q=lamp');
      expect(search.status).toBe(503);
      expectNoInternals(search, reg.dataDir);
      const health = await request(app).get('/api/v1/health');
      expectNoInternals(health, reg.dataDir);
    } finally {
      await meili.close();
    }
  });

  it('search: an unexpected failure that names the host is answered INTERNAL with a request id', async () => {
    reg = await makeRegistry();
    const failing = Object.create(reg.deps.search) as typeof reg.deps.search;
    failing.search = async () => { throw new Error('request to http://meili.internal:7700/indexes/designs/search failed, reason: connect ECONNREFUSED'); };
    const res = await request(createApp({ ...reg.deps, search: failing })).get('/api/v1/search?q=lamp');
    expectInternal(res, reg.logs);
    expectNoInternals(res, reg.dataDir);
  });

  it('an INTERNAL refusal raised on purpose shows neither its message nor its details', async () => {
    reg = await makeRegistry();
    const failing = Object.create(reg.deps.designs) as typeof reg.deps.designs;
    const { OhwError } = await import('../../../schema/errors.ts');
    failing.exists = async () => { throw new OhwError('INTERNAL', `could not set refs/meta/registry in ${reg!.dataDir}/designs/a/b.git`, { details: { git: 'fatal: cannot lock ref' } }); };
    const res = await request(createApp({ ...reg.deps, designs: failing })).get('/api/v1/designs/alice/missing/forks');
    expectInternal(res, reg.logs);
    expectNoInternals(res, reg.dataDir);
    expect(res.text).not.toContain('cannot lock ref');
  });

  it('a refusal keeps its message but loses private details (what git said goes to the log)', async () => {
    reg = await makeRegistry();
    const failing = Object.create(reg.deps.designs) as typeof reg.deps.designs;
    const { OhwError } = await import('../../../schema/errors.ts');
    failing.exists = async () => { throw new OhwError('CONFLICT', 'could not create version 1.0.0 of alice/x, try again', { details: { git: 'ref refs/tags/v1.0.0 moved under us' } }); };
    const res = await request(createApp({ ...reg.deps, designs: failing })).get('/api/v1/designs/alice/x/forks');
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'CONFLICT', message: 'could not create version 1.0.0 of alice/x, try again' });
    expect(reg.logs.join('\n')).toContain('moved under us');
  });
});
