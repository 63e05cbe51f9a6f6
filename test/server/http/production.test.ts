/**
 * The production network's routes over HTTP (supertest on createApp, real SQLite, real git):
 * every refusal of issue 16's "Bad input", each proving that nothing was stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDesigns } from '../../../server/services/seed.ts';
import { designArchive, makeRegistry, publish, REPO_ROOT, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
const tokens: Record<string, string> = {};
const CEB = 'ose/liberator-ceb-press';
const api = () => request(reg.app);
const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

const profile = (over: Record<string, unknown> = {}) => ({
  name: 'Berlin Metal Lab',
  location: { country: 'DE', region: 'DE-BE', lat: 52.53, lon: 13.41 },
  facilityLevel: 'campus',
  processes: ['WEL', 'MEC', 'CNC', 'CIR', 'ASM'],
  tools: ['CNC torch table', 'MIG welder 250 A', 'drill press', 'angle grinder and flap discs', 'hydraulic hose crimper', 'multimeter', 'soldering iron'],
  buildEnvelope: { x: 3000, y: 2000, z: 1500, unit: 'mm' },
  contact: { email: 'lab@example.org', visibleTo: ['carol'] },
  ...over,
});

beforeAll(async () => {
  reg = await makeRegistry();
  // Only the press and the power cube it uses: seeding every example is slower and not needed here.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-seed-'));
  for (const d of ['ose--liberator-ceb-press', 'ose--power-cube']) fs.cpSync(path.join(REPO_ROOT, 'designs', d), path.join(root, d), { recursive: true });
  await seedDesigns(reg.deps, root);
  fs.rmSync(root, { recursive: true, force: true });
  for (const who of ['alice', 'bob', 'carol', 'dave']) tokens[who] = await reg.account(who);
  tokens.ose = (await reg.deps.accounts.issueToken('ose', { name: 'test', scopes: ['publish'] })).token;
}, 120_000);
afterAll(() => reg.cleanup());

describe('facility profiles', () => {
  it('are created by their account and read without the contact by others', async () => {
    const put = await api().put('/api/v1/producers/alice/berlin').set(as('alice')).send(profile());
    expect(put.status).toBe(201);
    const anon = await api().get('/api/v1/producers/alice/berlin');
    expect(anon.status).toBe(200);
    expect(anon.body).toMatchObject({ account: 'alice', facility: 'berlin', location: { region: 'DE-BE' } });
    expect(anon.body).not.toHaveProperty('contact');
    expect((await api().get('/api/v1/producers/alice/berlin').set(as('carol'))).body.contact.email).toBe('lab@example.org');
    expect((await api().get('/api/v1/producers/alice/berlin').set(as('bob'))).body).not.toHaveProperty('contact');
  });

  it.each([
    ['an unknown process code', { processes: ['WELD'] }, /processes\[0\]: "WELD" is not allowed; allowed: ASM, MEC, CIR, PCB, WEL, 3DP, LAS, CNC, CST, WOD, TEX, CER/],
    ['an unknown facility level', { facilityLevel: 'shed' }, /allowed: apartment, garage, homestead, campus, factory/],
    ['a region that is not ISO 3166-2', { location: { country: 'DE', region: 'Berlin' } }, /location.region: "Berlin" is not an ISO 3166-2 subdivision code/],
    ['coordinates out of range', { location: { country: 'DE', lat: 52.5, lon: 190 } }, /longitude 190 is out of range/],
    ['an unknown property', { owner: 'mallory' }, /owner: unknown property "owner"/],
  ])('refuse %s with 400 and store nothing', async (_what, over, message) => {
    const res = await api().put('/api/v1/producers/bob/refused').set(as('bob')).send(profile(over));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect((await api().get('/api/v1/producers/bob/refused')).status).toBe(404);
  });

  it('belong to their account: another account cannot write one (403), nothing stored', async () => {
    const res = await api().put('/api/v1/producers/alice/stolen').set(as('bob')).send(profile());
    expect(res.status).toBe(403);
    expect((await api().get('/api/v1/producers/alice/stolen')).status).toBe(404);
  });
});

describe('who can make the CEB press', () => {
  beforeAll(async () => {
    await api().put('/api/v1/producers/bob/potsdam').set(as('bob')).send(profile({ name: 'Potsdam Garage', location: { country: 'DE', region: 'DE-BB', lat: 52.39, lon: 13.06 }, processes: ['MEC', 'CNC', 'CIR', 'ASM'], facilityLevel: 'garage' })).expect(201);
    await api().put('/api/v1/producers/carol/munich').set(as('carol')).send(profile({ name: 'Munich Works', location: { country: 'DE', region: 'DE-BY', lat: 48.14, lon: 11.58 }, facilityLevel: 'factory' })).expect(201);
  });

  it('ranks full fits by distance, then partial ones with their reasons', async () => {
    const res = await api().get(`/api/v1/designs/${CEB}/producers?near=52.52,13.40`).expect(200);
    expect(res.body.producers.map((p: { account: string; fit: string }) => [p.account, p.fit])).toEqual([['alice', 'full'], ['carol', 'full'], ['bob', 'partial']]);
    expect(res.body.producers[2].reasons).toEqual(['lacks WEL', 'needs a homestead facility (has garage)']);
    expect(res.body.capableByRegion).toEqual({ 'DE-BE': 1, 'DE-BY': 1 });
    expect(JSON.stringify(res.body)).not.toContain('lab@example.org');
  });

  it('filters by served region: a subdivision, or a country and its subdivisions', async () => {
    const by = await api().get(`/api/v1/designs/${CEB}/producers?region=DE-BY`).expect(200);
    expect(by.body.producers.map((p: { account: string }) => p.account)).toEqual(['carol']);
    const de = await api().get('/api/v1/producers?region=DE').expect(200);
    expect(de.body.producers.map((p: { account: string }) => p.account).sort()).toEqual(['alice', 'bob', 'carol']);
    const near = await api().get('/api/v1/producers?near=52.52,13.40&radiusKm=50').expect(200);
    expect(near.body.producers.map((p: { account: string }) => p.account).sort()).toEqual(['alice', 'bob']);
  });

  it('refuses bad coordinates and unknown designs', async () => {
    expect((await api().get(`/api/v1/designs/${CEB}/producers?near=100,13`)).status).toBe(400);
    expect((await api().get(`/api/v1/producers?canMake=ose/nothing-here`)).status).toBe(404);
    expect((await api().get(`/api/v1/producers?process=WELD`)).body.error.message).toMatch(/allowed: ASM, MEC/);
  });
});

describe('pledges and demand', () => {
  it('aggregates per region without naming anyone', async () => {
    const r1 = await api().post(`/api/v1/designs/${CEB}/pledges`).set(as('bob')).send({ region: 'DE-BE', quantity: 2, maxUnitPrice: 5000, currency: 'USD' });
    expect(r1.status).toBe(201);
    await api().post(`/api/v1/designs/${CEB}/pledges`).set(as('carol')).send({ region: 'DE-BE', quantity: 3, maxUnitPrice: 4000, currency: 'USD' }).expect(201);
    await api().post(`/api/v1/designs/${CEB}/pledges`).set(as('dave')).send({ region: 'FR', quantity: 1 }).expect(201);
    const d = await api().get(`/api/v1/designs/${CEB}/demand`).expect(200);
    expect(d.body.regions[0]).toMatchObject({ region: 'DE-BE', pledgers: 2, units: 5, ceilings: [{ currency: 'USD', min: 4000, median: 4500, max: 5000 }] });
    expect(d.body.regions[0].unitCost.currency).toBe('USD');
    for (const who of ['bob', 'carol', 'dave']) expect(JSON.stringify(d.body)).not.toContain(who);
  });

  it('allows one active pledge per account, design and region (409, nothing stored)', async () => {
    const res = await api().post(`/api/v1/designs/${CEB}/pledges`).set(as('bob')).send({ region: 'DE-BE', quantity: 7 });
    expect(res.status).toBe(409);
    const mine = (await api().get('/api/v1/pledges').set(as('bob'))).body.pledges;
    expect(mine.map((p: { quantity: number }) => p.quantity)).toEqual([2]);
  });

  it.each([
    ['quantity 0', { region: 'DE-BE', quantity: 0 }, 400],
    ['a fractional quantity', { region: 'DE-BE', quantity: 1.5 }, 400],
    ['a region that is not ISO', { region: 'Berlin', quantity: 1 }, 400],
    ['an unknown version', { region: 'DE-BE', quantity: 1, version: '9.9.9' }, 404],
    ['an unknown field', { region: 'DE-BE', quantity: 1, account: 'bob' }, 400],
  ])('refuses %s and stores nothing', async (_what, body, status) => {
    const res = await api().post(`/api/v1/designs/${CEB}/pledges`).set(as('alice')).send(body);
    expect(res.status).toBe(status);
    expect((await api().get('/api/v1/pledges').set(as('alice'))).body.pledges).toEqual([]);
  });

  it('refuses a pledge or a run for a yanked version (409, with the reason) and an unknown design (404)', async () => {
    await publish(reg.app, tokens.alice, 'alice/stool', '1.0.0', await designArchive('alice/stool', '1.0.0')).expect(201);
    await api().post('/api/v1/designs/alice/stool/versions/1.0.0/yank').set(as('alice')).send({ reason: 'legs too short' }).expect(200);
    const y = await api().post('/api/v1/designs/alice/stool/pledges').set(as('alice')).send({ region: 'DE', quantity: 1, version: '1.0.0' });
    expect(y.status).toBe(409);
    expect(y.body.error.message).toBe('alice/stool@1.0.0 is yanked (legs too short); use a current version');
    const latest = await api().post('/api/v1/designs/alice/stool/pledges').set(as('alice')).send({ region: 'DE', quantity: 1 });
    expect(latest.status).toBe(409);
    expect(latest.body.error.message).toBe('alice/stool has no current version: every version is yanked');
    const run = await api().post('/api/v1/runs').set(as('alice')).send({ package: 'alice/stool', version: '1.0.0', region: 'DE', minQuantity: 1, unitPrice: 10, currency: 'EUR', deadline: '2099-01-01' });
    expect(run.status).toBe(409);
    expect((await api().post('/api/v1/designs/ose/no-such/pledges').set(as('alice')).send({ region: 'DE', quantity: 1 })).status).toBe(404);
    expect((await api().get('/api/v1/pledges').set(as('alice'))).body.pledges).toEqual([]);
    expect(await reg.deps.production.runsOf({ pkg: 'alice/stool' })).toEqual([]);
  });

  it('can be edited and withdrawn by its account only', async () => {
    const id = (await api().get('/api/v1/pledges').set(as('dave'))).body.pledges[0].id;
    expect((await api().put(`/api/v1/pledges/${id}`).set(as('bob')).send({ region: 'FR', quantity: 9 })).status).toBe(404);
    expect((await api().put(`/api/v1/pledges/${id}`).set(as('dave')).send({ region: 'FR', quantity: 4 })).body.quantity).toBe(4);
    expect((await api().delete(`/api/v1/pledges/${id}`).set(as('dave'))).body.status).toBe('withdrawn');
  });
});

describe('runs', () => {
  let runId: string;
  const body = { package: CEB, version: '1.2.0', region: 'DE-BE', minQuantity: 5, unitPrice: 3900, currency: 'USD', deadline: '2099-01-01' };

  it('are opened by producers only (403 for others, nothing stored)', async () => {
    const res = await api().post('/api/v1/runs').set(as('dave')).send(body);
    expect(res.status).toBe(403);
    expect(await reg.deps.production.runsOf({ producer: 'dave' })).toEqual([]);
  });

  it.each([
    ['minQuantity 0', { minQuantity: 0 }, 400],
    ['an unknown version', { version: '7.0.0' }, 404],
    ['a bad region', { region: 'Brandenburg' }, 400],
  ])('refuse %s and store nothing', async (_w, over, status) => {
    const res = await api().post('/api/v1/runs').set(as('alice')).send({ ...body, ...over });
    expect(res.status).toBe(status);
    expect(await reg.deps.production.runsOf({ producer: 'alice' })).toEqual([]);
  });

  it('counts covering pledges and becomes funded when commitments reach the minimum', async () => {
    const open = await api().post('/api/v1/runs').set(as('alice')).send(body).expect(201);
    runId = open.body.id;
    expect(open.body).toMatchObject({ state: 'open', eligibleUnits: 5, committedUnits: 0 });
    await api().post(`/api/v1/runs/${runId}/commit`).set(as('bob')).expect(200);
    const funded = await api().post(`/api/v1/runs/${runId}/commit`).set(as('carol')).expect(200);
    expect(funded.body).toMatchObject({ state: 'funded', committedUnits: 5, committedPledgers: 2, yourCommitment: { units: 3 } });
    expect(funded.body.transitions.map((t: { to: string; actor: string }) => [t.to, t.actor])).toEqual([['open', 'alice'], ['funded', 'registry']]);
    const seen = await api().get(`/api/v1/runs/${runId}`).expect(200);
    expect(JSON.stringify(seen.body)).not.toMatch(/bob|carol/);
  });

  it('refuses out-of-order transitions and a non-producer advancing it, recording nothing', async () => {
    const deliver = await api().post(`/api/v1/runs/${runId}/deliver`).set(as('alice'));
    expect(deliver.status).toBe(409);
    expect(deliver.body.error.code).toBe('INVALID_TRANSITION');
    expect((await api().post(`/api/v1/runs/${runId}/start`).set(as('bob'))).status).toBe(403);
    expect((await reg.deps.production.transitions(runId)).length).toBe(2);
    await api().post(`/api/v1/runs/${runId}/start`).set(as('alice')).expect(200);
    const done = await api().post(`/api/v1/runs/${runId}/deliver`).set(as('alice')).expect(200);
    expect(done.body.state).toBe('delivered');
  });

  it('an open run past its deadline expires, recorded as done by the registry', async () => {
    const open = await api().post('/api/v1/runs').set(as('alice')).send({ ...body, deadline: '2099-01-01', minQuantity: 500 }).expect(201);
    const realNow = reg.deps.now;
    reg.deps.now = () => new Date('2099-01-02T00:00:00Z');
    try {
      const seen = await api().get(`/api/v1/runs/${open.body.id}`).expect(200);
      expect(seen.body.state).toBe('expired');
      expect(seen.body.transitions.at(-1)).toMatchObject({ from: 'open', to: 'expired', action: 'expire', actor: 'registry' });
      expect((await api().post(`/api/v1/runs/${open.body.id}/commit`).set(as('bob'))).body.error.code).toBe('INVALID_TRANSITION');
    } finally {
      reg.deps.now = realNow;
    }
  });

  it('shows pledgers their runs', async () => {
    const mine = (await api().get('/api/v1/pledges').set(as('carol'))).body.pledges;
    expect(mine[0].runs).toEqual(expect.arrayContaining([expect.objectContaining({ id: runId, state: 'delivered', committed: true })]));
    expect(mine[0].runs.find((r: { id: string }) => r.id !== runId)).toMatchObject({ state: 'expired', committed: false });
  });
});

describe('build reports and photos', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
  const photosDir = () => path.join(reg.dataDir, 'photos');
  const count = () => (fs.existsSync(photosDir()) ? fs.readdirSync(photosDir(), { recursive: true }).filter((f) => String(f).includes('.')).length : 0);

  it('refuse a photo of another type (415) or over the limit (413), storing nothing', async () => {
    const gif = await api().post('/api/v1/photos').set(as('carol')).set('Content-Type', 'image/png').send(Buffer.from('GIF89a....'));
    expect(gif.status).toBe(415);
    const big = await api().post('/api/v1/photos').set(as('carol')).set('Content-Type', 'image/png').send(Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]));
    expect(big.status).toBe(413);
    expect(count()).toBe(0);
  });

  it('are public, append-only, committed by the reporter, and show on the design read', async () => {
    const photo = await api().post('/api/v1/photos').set(as('carol')).set('Content-Type', 'application/octet-stream').send(png).expect(201);
    expect(photo.body.type).toBe('image/png');
    const res = await api().post(`/api/v1/designs/${CEB}/versions/1.2.0/builds`).set(as('carol')).send({
      outcome: 'works', region: 'DE-BY', facilityLevel: 'factory', processes: ['WEL', 'CNC'], hours: 70, cost: { amount: 4100, currency: 'USD' },
      qc: { 'chamber-dimensions': 'pass' }, measurements: { 'blocks-per-hour': 330 }, photos: [photo.body.id],
    });
    expect(res.status).toBe(201);
    const history = await reg.deps.index.history(`builds/${CEB}/1.2.0.jsonl`);
    expect(history[0]!.author).toEqual({ name: 'carol', email: 'carol@users.noreply.openhardware.commons' });
    const design = (await api().get(`/api/v1/designs/${CEB}`)).body;
    expect(design.production.builds).toMatchObject({ builds: 1, successful: 1, regions: ['DE-BY'] });
    const list = await api().get(`/api/v1/designs/${CEB}/versions/1.2.0/builds`).expect(200);
    expect(list.body.summary.performance[0]).toMatchObject({ id: 'blocks-per-hour', min: 330, metIndependent: 1 });
  });

  it('refuse an unknown qc item, an unknown version and unknown fields, committing nothing', async () => {
    const before = (await reg.deps.index.history(`builds/${CEB}/1.2.0.jsonl`)).length;
    expect((await api().post(`/api/v1/designs/${CEB}/versions/1.2.0/builds`).set(as('dave')).send({ outcome: 'works', region: 'FR', qc: { paint: 'pass' } })).status).toBe(400);
    expect((await api().post(`/api/v1/designs/${CEB}/versions/1.2.0/builds`).set(as('dave')).send({ outcome: 'works', region: 'FR', email: 'x@y' })).status).toBe(400);
    expect((await api().post(`/api/v1/designs/${CEB}/versions/9.0.0/builds`).set(as('dave')).send({ outcome: 'works', region: 'FR' })).status).toBe(404);
    expect((await reg.deps.index.history(`builds/${CEB}/1.2.0.jsonl`)).length).toBe(before);
    expect(await reg.deps.index.read(`builds/${CEB}/9.0.0.jsonl`)).toBeUndefined();
  });

  it('are corrected by a new report from the same reporter, never edited', async () => {
    expect((await api().post(`/api/v1/designs/${CEB}/versions/1.2.0/builds`).set(as('dave')).send({ outcome: 'failed', region: 'FR', corrects: '1' })).status).toBe(403);
    const fix = await api().post(`/api/v1/designs/${CEB}/versions/1.2.0/builds`).set(as('carol')).send({ outcome: 'works-with-changes', region: 'DE-BY', corrects: '1', notes: 'hopper welded twice' });
    expect(fix.status).toBe(201);
    const list = (await api().get(`/api/v1/designs/${CEB}/versions/1.2.0/builds`)).body;
    expect(list.reports.map((r: { id: string; correctedBy: string[] }) => [r.id, r.correctedBy])).toEqual([['2', []], ['1', ['2']]]);
    expect(list.summary).toMatchObject({ builds: 1, successful: 1 });
    const text = await reg.deps.index.read(`builds/${CEB}/1.2.0.jsonl`);
    expect(text!.trim().split('\n')).toHaveLength(2);
  });

  it('are endorsed by owners only', async () => {
    expect((await api().post(`/api/v1/designs/${CEB}/versions/1.2.0/builds/1/endorse`).set(as('dave'))).status).toBe(403);
    const ok = await api().post(`/api/v1/designs/${CEB}/versions/1.2.0/builds/1/endorse`).set(as('ose')).expect(200);
    expect(ok.body.endorsedBy).toEqual(['ose']);
  });
});

describe('offers', () => {
  it('are made at a level the design allows, by the facility account', async () => {
    const res = await api().put(`/api/v1/producers/alice/berlin/offers/${CEB}`).set(as('alice')).send({ level: 'product', unitPrice: 4500, currency: 'EUR', leadTimeDays: 60 });
    expect(res.status).toBe(200);
    const bad = await api().put(`/api/v1/producers/alice/berlin/offers/${CEB}`).set(as('alice')).send({ level: 'franchise' });
    expect(bad.status).toBe(400);
    expect((await api().put(`/api/v1/producers/alice/berlin/offers/${CEB}`).set(as('bob')).send({ level: 'production' })).status).toBe(403);
    const list = (await api().get(`/api/v1/designs/${CEB}/offers`)).body.offers;
    expect(list.product).toEqual([expect.objectContaining({ account: 'alice', facility: 'berlin', unitPrice: 4500 })]);
    expect(list.production).toEqual([]);
  });
});

describe('search', () => {
  it('finds built designs (built=true), counts builds and offers as facets', async () => {
    const res = await api().get('/api/v1/search?built=true').expect(200);
    expect(res.body.hits.map((h: { package: string; built: boolean }) => [h.package, h.built])).toEqual([[CEB, true]]);
    const all = await api().get('/api/v1/search').expect(200);
    expect(all.body.facets.builds).toEqual({ '1': 1, none: 1 }); // the press and the power cube (alice/stool is yanked)
    expect(all.body.facets.offers).toEqual({ product: 1 });
  });

  it('?producer=account[/facility] sets can-make from the profile', async () => {
    const pkgs = async (p: string) => (await api().get(`/api/v1/search?producer=${p}`).expect(200)).body.hits.map((h: { package: string }) => h.package);
    expect(await pkgs('alice/berlin')).toContain(CEB);
    expect(await pkgs('bob')).not.toContain(CEB);
    expect((await api().get('/api/v1/search?producer=nobody')).status).toBe(404);
    expect((await api().get('/api/v1/search?producer=../x')).status).toBe(400);
  });

  it('never shows contacts or pledgers in search documents', async () => {
    const docs = JSON.stringify(await reg.deps.derived.searchDocuments());
    for (const secret of ['lab@example.org', 'bob', 'dave']) expect(docs).not.toContain(secret);
  });
});
