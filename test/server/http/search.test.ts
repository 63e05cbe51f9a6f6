import path from 'node:path';
import fs from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.ts';
import { MeiliSearchIndex } from '../../../server/search/meili.ts';
import { seedDesigns } from '../../../server/services/seed.ts';
import { validateDesign } from '../../../schema/manifest/index.ts';
import { readDesignFolder, designSource } from '../../../io/design-folder.ts';
import type { Manifest } from '../../../schema/types.ts';
import { designArchive, makeRegistry, publish, REPO_ROOT, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
const examples: Manifest[] = [];

beforeAll(async () => {
  reg = await makeRegistry();
  await seedDesigns(reg.deps, path.join(REPO_ROOT, 'designs'));
  for (const d of fs.readdirSync(path.join(REPO_ROOT, 'designs'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
    examples.push(validateDesign(designSource(await readDesignFolder(path.join(REPO_ROOT, 'designs', d.name)))).manifest!);
  }
}, 120_000);
afterAll(() => reg.cleanup());

const search = (query: string) => request(reg.app).get(`/api/v1/search?${query}`);
const processesOf = (m: Manifest) => new Set([...m.production.processes, ...(m.parts ?? []).flatMap((p) => p.processes ?? [])]);

describe('GET /api/v1/search over the example designs', () => {
  it('finds the earth-block press for "earth block", and by typo and prefix', async () => {
    for (const q of ['earth block', 'ceb pres', 'liberator']) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body.hits[0].package, q).toBe('ose/liberator-ceb-press');
    }
    const tractor = await search('q=tractr');
    expect(tractor.body.hits.map((h: { package: string }) => h.package)).toContain('ose/lifetrac');
  });

  it('canMake returns exactly the designs whose processes are all in the set', async () => {
    const have = new Set(['ASM', '3DP', 'LAS']);
    const expected = examples.filter((m) => [...processesOf(m)].every((p) => have.has(p))).map((m) => m.name).sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const res = await search('canMake=ASM,3DP,LAS&limit=100');
    expect(res.body.hits.map((h: { package: string }) => h.package).sort()).toEqual(expected);
    expect(res.body.total).toBe(expected.length);
  });

  it('facet counts match the designs', async () => {
    const res = await search('limit=100');
    expect(res.body.total).toBe(examples.length);
    const categories: Record<string, number> = {};
    const processes: Record<string, number> = {};
    for (const m of examples) {
      for (const c of new Set([m.category!.primary, ...(m.category!.additional ?? [])])) categories[c] = (categories[c] ?? 0) + 1;
      for (const p of processesOf(m)) processes[p] = (processes[p] ?? 0) + 1;
    }
    expect(res.body.facets.category).toEqual(categories);
    expect(res.body.facets.process).toEqual(processes);
    expect(res.body.facets.certified).toEqual({ false: examples.length });
  });

  it('returns result-list fields, not the whole index document', async () => {
    const res = await search('q=power%20cube');
    const hit = res.body.hits[0];
    expect(hit).toMatchObject({ package: 'ose/power-cube', title: expect.any(String), processes: expect.any(Array), licenses: expect.any(Array) });
    expect(hit.partNames).toBeUndefined();
    expect(hit.mpns).toBeUndefined();
  });

  it('browses newest first for an empty query and paginates', async () => {
    const all = (await search('limit=100')).body.hits.map((h: { updatedAt: string }) => h.updatedAt);
    expect([...all].sort().reverse()).toEqual(all);
    const page2 = await search('limit=3&page=2');
    expect(page2.body.hits).toHaveLength(3);
    expect(page2.body.page).toBe(2);
  });

  it('refuses bad input with 400 naming the parameter', async () => {
    let res = await search(`q=${'x'.repeat(513)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/512/);
    res = await search('category=Spaceships');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('category');
    expect(res.body.error.message).toContain('Agriculture');
    res = await search('limit=101');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/limit/);
    res = await search('canMake=ASM,LASER');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('LASER');
  });

  it('answers 400 naming the parameter, never 500, for a mapping, a repeat or too many values', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['q[a]=1', 'q', /^q: must be given as q=value, not as a list or mapping/],
      ['q=a&q=b', 'q', /^q: given more than once/],
      ['page[x]=2', 'page', /^page: must be given as page=value/],
      ['license[a]=MIT', 'license', /^license: must be given as license=value/],
      ['category[0][x]=Tool', 'category', /^category: must be given as category=value/],
      [Array.from({ length: 21 }, (_, i) => `region=R${i}`).join('&'), 'region', /^region: at most 20 values \(got 21\)$/],
      [`tools=${Array.from({ length: 21 }, (_, i) => `t${i}`).join('&tools=')}`, 'tools', /^tools: at most 20 values/],
    ];
    for (const [query, param, message] of cases) {
      const res = await search(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('INVALID_REQUEST');
      expect(res.body.error.message, query).toMatch(message);
      expect(res.body.error.details, query).toMatchObject({ param });
    }
    expect((await search(Array.from({ length: 20 }, (_, i) => `region=R${i}`).join('&'))).status).toBe(200);
  });

  it('treats a filter injection as a literal value', async () => {
    const res = await search(`license=${encodeURIComponent('MIT" OR category EXISTS')}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(0);
  });

  it('drops a design from search when its only version is yanked, and shows it again on un-yank', async () => {
    const token = await reg.account('yara');
    await publish(reg.app, token, 'yara/hidden-thing', '1.0.0', await designArchive('yara/hidden-thing'));
    expect((await search('q=yara/hidden-thing')).body.hits[0]?.package).toBe('yara/hidden-thing');
    await request(reg.app).post('/api/v1/designs/yara/hidden-thing/versions/1.0.0/yank').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await search('q=hidden%20thing')).body.hits.map((h: { package: string }) => h.package)).not.toContain('yara/hidden-thing');
    await request(reg.app).delete('/api/v1/designs/yara/hidden-thing/versions/1.0.0/yank').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await search('q=hidden%20thing')).body.hits.map((h: { package: string }) => h.package)).toContain('yara/hidden-thing');
  });

  it('says which engine is active in health', async () => {
    const res = await request(reg.app).get('/api/v1/health');
    expect(res.body.search).toMatchObject({ ok: true, engine: 'embedded' });
  });
});

describe('with Meilisearch configured but down', () => {
  it('answers search with 503 SEARCH_UNAVAILABLE while reads and publishes keep working', async () => {
    // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
    const meili = new MeiliSearchIndex({ host: 'http://127.0.0.1:9', retryIntervalMs: 0, requestTimeoutMs: 500 });
    await meili.init();
    const app = createApp({ ...reg.deps, search: meili });
    const res = await request(app).get('/api/v1/search?q=press');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SEARCH_UNAVAILABLE');
    expect((await request(app).get('/api/v1/health')).body.search).toMatchObject({ ok: false, engine: 'meilisearch' });
    expect((await request(app).get('/api/v1/designs/ose/power-cube')).status).toBe(200);
    const token = await reg.account('zoe');
    const pub = await publish(app, token, 'zoe/offline-search', '1.0.0', await designArchive('zoe/offline-search'));
    expect(pub.status).toBe(201);
    expect(meili.pendingCounts().upserts).toBe(1);
    await meili.close();
  });
});
