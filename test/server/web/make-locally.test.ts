/**
 * The design page says who can make the version where (capable producers per region) and who
 * offers it at which product level, from the same services as the production API.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let alice: string;
let bob: string;
const facility = (name: string, region: string, processes: string[]) => ({
  name, location: { country: region.slice(0, 2), region }, facilityLevel: 'garage', processes, tools: [],
});

beforeAll(async () => {
  reg = await makeRegistry();
  alice = await reg.account('alice');
  bob = await reg.account('bob');
  const withLevels = (y: string) => `${y}productLevels: [product, production]\n`;
  expect((await publish(reg.app, alice, 'alice/lamp', '1.0.0', await designArchive('alice/lamp', '1.0.0', withLevels))).status).toBe(201);
  const put = (who: string, token: string, fac: string, body: object) => request(reg.app).put(`/api/v1/producers/${who}/${fac}`).set('Authorization', `Bearer ${token}`).send(body);
  expect((await put('bob', bob, 'berlin', facility('Bob Berlin', 'DE-BE', ['ASM', '3DP']))).status).toBeLessThan(300);
  expect((await put('bob', bob, 'potsdam', facility('Bob Potsdam', 'DE-BB', ['ASM', '3DP', 'CNC']))).status).toBeLessThan(300);
  expect((await put('alice', alice, 'nairobi', facility('Alice Nairobi', 'KE-30', ['ASM']))).status).toBeLessThan(300);
  const offer = await request(reg.app).put('/api/v1/producers/bob/berlin/offers/alice/lamp').set('Authorization', `Bearer ${bob}`).send({ level: 'product', unitPrice: 40, currency: 'EUR' });
  expect(offer.status).toBeLessThan(300);
});
afterAll(() => reg.cleanup());

describe('Make it locally, on the design page', () => {
  it('counts capable producers per region, leaves out those that lack a process, and lists offers by level', async () => {
    const res = await request(reg.app).get('/designs/alice/lamp');
    expect(res.status).toBe(200);
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toContain('<h2 id="local-h">Make it locally</h2>');
    expect(text).toMatch(/cover this version: DE-BB \(1\), DE-BE \(1\)\./);
    // Nairobi lacks 3DP: no full fit there.
    expect(text).not.toMatch(/KE-30 \(\d\)/);
    expect(text).toMatch(/<dt>product <span class="muted">\(finished units\)<\/span><\/dt><dd><a href="\/accounts\/bob">bob<\/a> \(berlin\)<\/dd>/);
    expect(text).toMatch(/<dt>production <span class="muted">[^<]*<\/span><\/dt><dd><span class="muted">no offers<\/span>/);
  });
});
