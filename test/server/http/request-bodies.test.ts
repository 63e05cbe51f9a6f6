/**
 * JSON bodies are validated by schema: an unknown or forbidden property is a 400 that names it,
 * and nothing is stored.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let token: string;
beforeAll(async () => {
  reg = await makeRegistry();
  token = await reg.account('nina');
  expect((await publish(reg.app, token, 'nina/board', '1.0.0', await designArchive('nina/board'))).status).toBe(201);
}, 60_000);
afterAll(() => reg.cleanup());
const api = () => request(reg.app);
const REGISTER = { name: 'eve', email: 'eve@example.org', password: 'long enough password' };

describe('register refuses properties a client must not set', () => {
  it.each([
    ['roles', ['admin']],
    ['isAdmin', true],
    ['id', 'acc-1'],
    ['passwordHash', 'scrypt$00$00'],
  ])('"%s" → 400 naming it, and no account is created', async (prop, value) => {
    const res = await api().post('/api/v1/accounts').send({ ...REGISTER, [prop]: value });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message).toContain(`"${prop}"`);
    expect(await reg.deps.accounts.get('eve')).toBeUndefined();
  });

  it('a missing field is named too', async () => {
    const res = await api().post('/api/v1/accounts').send({ name: 'eve', password: 'long enough password' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"email" is required');
  });
});

describe('log-in and owners refuse extra keys', () => {
  it('log in with an extra key → 400 naming it, and no token is issued', async () => {
    const before = await reg.deps.accounts.listTokens('nina');
    const res = await api().post('/api/v1/tokens').send({ name: 'nina', password: 'correct horse battery', admin: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"admin"');
    expect(await reg.deps.accounts.listTokens('nina')).toEqual(before);
  });

  it('owners with an extra key → 400 naming it, and the owners are unchanged', async () => {
    const res = await api().put('/api/v1/designs/nina/board/owners').set('Authorization', `Bearer ${token}`).send({ add: ['nina'], owners: ['mallory'] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"owners"');
    expect((await reg.deps.designs.state('nina/board')).owners).toEqual(['nina']);
  });

  it('owners given as something other than a list of names → 400 naming the field', async () => {
    const res = await api().put('/api/v1/designs/nina/board/owners').set('Authorization', `Bearer ${token}`).send({ add: 'mallory' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"add"');
  });

  it('a yank with an unknown key is refused and the version stays visible', async () => {
    const res = await api().post('/api/v1/designs/nina/board/versions/1.0.0/yank').set('Authorization', `Bearer ${token}`).send({ reason: 'x', force: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"force"');
    expect((await reg.deps.designs.state('nina/board')).yanked).toEqual({});
  });

  it('a certification request with an unknown key is refused and nothing is recorded', async () => {
    const res = await api().post('/api/v1/certifications').set('Authorization', `Bearer ${token}`).send({ package: 'nina/board', version: '1.0.0', state: 'certified' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"state"');
    expect(await reg.deps.index.list('certifications/')).toEqual([]);
  });

  it('a review with an unknown key is refused before it is recorded', async () => {
    const res = await api().post('/api/v1/certifications/CR-000001/reviews').set('Authorization', `Bearer ${token}`).send({ decision: 'approve', checklist: {}, reviewer: 'someone-else' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"reviewer"');
    expect(await reg.deps.index.list('certifications/')).toEqual([]);
  });
});
