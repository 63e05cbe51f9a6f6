/**
 * Build reports as certification evidence (issue 16): the automatic checks cite successful
 * independent builds and count how many met each performance criterion; the certified mark
 * belongs to the owners and to producers whose successful build an owner endorsed.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKLIST } from '../../../schema/certification/checklist.ts';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
const tokens: Record<string, string> = {};
const api = () => request(reg.app);
const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
const PKG = 'alice/press';
const approve = {
  decision: 'approve',
  checklist: Object.fromEntries(CHECKLIST.filter((c) => c.required).map((c) => [c.id, { result: 'pass', comment: `checked ${c.id}` }])),
  maturity: { technology: 'OTRL-4', documentation: 'ODRL-3' },
};
const withPerformance = (y: string) => y.replace(/(production:\n)/, '$1  performance:\n    - { id: blocks-per-hour, metric: Blocks per hour, unit: blocks/h, target: 300, comparison: ">=" }\n');
const report = (who: string, body: object) => api().post(`/api/v1/designs/${PKG}/versions/1.0.0/builds`).set(as(who)).send(body);

let cert: { id: string; certificate: { uid: string } };

beforeAll(async () => {
  reg = await makeRegistry({ quorum: 2 });
  for (const n of ['alice', 'bob', 'carol', 'dave']) tokens[n] = await reg.account(n);
  for (const n of ['rev1', 'rev2']) {
    await reg.account(n);
    await reg.deps.accounts.setRoles(n, ['reviewer']);
    tokens[n] = (await reg.deps.accounts.issueToken(n, { name: 'review', scopes: ['review'] })).token;
  }
  const res = await publish(reg.app, tokens.alice, PKG, '1.0.0', await designArchive(PKG, '1.0.0', withPerformance));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await report('alice', { outcome: 'works', region: 'DE-BE', measurements: { 'blocks-per-hour': 400 } }).expect(201);
  await report('bob', { outcome: 'works', region: 'FR', measurements: { 'blocks-per-hour': 320 } }).expect(201);
  await report('carol', { outcome: 'works-with-changes', region: 'PL', measurements: { 'blocks-per-hour': 250 } }).expect(201);
  await report('dave', { outcome: 'failed', region: 'DE' }).expect(201);
  await api().post(`/api/v1/designs/${PKG}/versions/1.0.0/builds/2/endorse`).set(as('alice')).expect(200);
}, 60_000);
afterAll(() => reg.cleanup());

describe('certification with build reports', () => {
  it('the checks cite successful independent builds and count who met each criterion', async () => {
    const r = await api().post('/api/v1/certifications').set(as('alice')).send({ package: PKG, version: '1.0.0' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const byId = Object.fromEntries(r.body.checks.map((c: { id: string }) => [c.id, c]));
    expect(byId['independent-builds']).toEqual({ id: 'independent-builds', result: 'pass', evidence: '2 successful independent build(s) for the claim OTRL-1 by bob, carol in FR, PL' });
    expect(byId['performance-met']).toEqual({
      id: 'performance-met', result: 'warn',
      evidence: 'blocks-per-hour >= 300 blocks/h: met by 1 of 2 independent build(s) (measured 250–320)',
    });
    await api().post(`/api/v1/certifications/${r.body.id}/reviews`).set(as('rev1')).send(approve).expect(201);
    const done = await api().post(`/api/v1/certifications/${r.body.id}/reviews`).set(as('rev2')).send(approve).expect(201);
    expect(done.body.state).toBe('certified');
    cert = done.body;
  });

  it('the certificate lists who may use the mark: owners and endorsed producers', async () => {
    const c = await api().get(`/api/v1/certificates/${cert.certificate.uid}`).expect(200);
    expect(c.body.markHolders).toEqual({ owners: ['alice'], producers: ['bob'] });
  });

  it('badge.svg?producer= answers only for mark holders (403 for others, 404 for unknown accounts)', async () => {
    const badge = `/api/v1/certificates/${cert.certificate.uid}/badge.svg`;
    expect((await api().get(`${badge}?producer=bob`)).status).toBe(200);
    expect((await api().get(`${badge}?producer=alice`)).status).toBe(200);
    expect((await api().get(`${badge}?producer=carol`)).status).toBe(403);
    expect((await api().get(`${badge}?producer=nobody`)).status).toBe(404);
    expect((await api().get(badge)).status).toBe(200);
  });
});
