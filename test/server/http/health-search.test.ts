/**
 * GET /api/v1/health and the search engine: `degraded` with a public reason when search is not ok,
 * never the Meilisearch URL or a client error message; the operator detail for admins only
 * (role admin AND a token with scope admin). Meilisearch is the fake server of the search tests.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.ts';
import { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { FakeMeili } from '../search/fake-meili.ts';
import { makeRegistry, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let fake: FakeMeili;
let adminToken: string;
let adminPublishToken: string;

beforeAll(async () => {
  reg = await makeRegistry();
  fake = new FakeMeili();
  await fake.start();
  await reg.account('boss');
  await reg.deps.accounts.setRoles('boss', ['admin']);
  adminToken = (await reg.deps.accounts.issueToken('boss', { name: 'ops', scopes: ['admin'] })).token;
  adminPublishToken = (await reg.deps.accounts.issueToken('boss', { name: 'pub', scopes: ['publish'] })).token;
}, 60_000);

afterAll(async () => {
  await fake.stop();
  await reg.cleanup();
});

async function appWith(opts: { apiKey?: string; indexName?: string } = {}) {
  const search = new MeiliSearchIndex({ host: fake.url, retryIntervalMs: 0, pollIntervalMs: 2, ...opts });
  await search.init();
  return { app: createApp({ ...reg.deps, search }), search };
}

describe('GET /api/v1/health with Meilisearch', () => {
  it('ok when Meilisearch is ok', async () => {
    fake.masterKey = undefined;
    const { app, search } = await appWith();
    const res = await request(app).get('/api/v1/health');
    expect(res.body).toMatchObject({ status: 'ok', search: { ok: true, engine: 'meilisearch', status: 'ok' } });
    expect(res.body.search.detail).toBeUndefined();
    await search.close();
  });

  it('degraded with a public reason naming MEILI_MASTER_KEY when the key is refused; no URL, no client message', async () => {
    fake.masterKey = 'the-right-key';
    const { app, search } = await appWith({ apiKey: 'a-wrong-key' });
    const res = await request(app).get('/api/v1/health');
    expect(res.body).toMatchObject({ status: 'degraded', search: { ok: false, status: 'down' } });
    expect(res.body.search.reason).toContain('MEILI_MASTER_KEY');
    const text = JSON.stringify(res.body);
    for (const secret of [fake.url, '127.0.0.1', String(fake.port), 'The provided API key is invalid', 'invalid_api_key']) expect(text).not.toContain(secret);
    expect(res.body.search.detail).toBeUndefined();
    await search.close();
  });

  it('shows the operator detail to an admin with the admin scope only', async () => {
    fake.masterKey = 'the-right-key';
    const { app, search } = await appWith({ apiKey: 'a-wrong-key' });
    const admin = await request(app).get('/api/v1/health').set('Authorization', `Bearer ${adminToken}`);
    expect(admin.body.search.detail).toMatch(/HTTP 403/);
    const publishScope = await request(app).get('/api/v1/health').set('Authorization', `Bearer ${adminPublishToken}`);
    expect(publishScope.body.search.detail).toBeUndefined();
    const user = await request(app).get('/api/v1/health').set('Authorization', `Bearer ${await reg.account('someone')}`);
    expect(user.body.search.detail).toBeUndefined();
    await search.close();
  });

  it('degraded while a lost index cannot be rebuilt, saying why', async () => {
    fake.masterKey = undefined;
    const { app, search } = await appWith({ indexName: 'lost_one' });
    await search.replaceAll([]);
    fake.indexes.delete('lost_one');
    expect((await request(app).get('/api/v1/search?q=press')).status).toBe(503);
    const res = await request(app).get('/api/v1/health');
    expect(res.body).toMatchObject({ status: 'degraded', search: { status: 'degraded' } });
    expect(res.body.search.reason).toMatch(/lost/);
    await search.close();
  });
});
