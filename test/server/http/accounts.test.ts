import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../../server/store/accounts/ensure-admin.ts';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
beforeAll(async () => { reg = await makeRegistry(); });
afterAll(() => reg.cleanup());
const api = () => request(reg.app);

describe('accounts and tokens', () => {
  it('registers an account and returns a publish token', async () => {
    const res = await api().post('/api/v1/accounts').send({ name: 'carla', email: 'carla@example.org', password: 'long password here' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ account: 'carla', scopes: ['publish'] });
    const me = await api().get('/api/v1/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.body.account).toBe('carla');
  });

  it('refuses a taken name with 409 NAME_TAKEN and bad input with 400', async () => {
    const taken = await api().post('/api/v1/accounts').send({ name: 'carla', email: 'c2@example.org', password: 'long password here' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('NAME_TAKEN');
    const short = await api().post('/api/v1/accounts').send({ name: 'dan', email: 'dan@example.org', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/password/);
    const missing = await api().post('/api/v1/accounts').send({ name: 'dan' });
    expect(missing.status).toBe(400);
  });

  it('logs in for a new token, lists and revokes it', async () => {
    const wrong = await api().post('/api/v1/tokens').send({ name: 'carla', password: 'wrong password!!' });
    expect(wrong.status).toBe(401);
    const res = await api().post('/api/v1/tokens').send({ name: 'carla', password: 'long password here', scopes: ['publish'] });
    expect(res.status).toBe(201);
    const list = await api().get('/api/v1/tokens').set('Authorization', `Bearer ${res.body.token}`);
    expect(list.body.tokens.length).toBe(2);
    await api().delete(`/api/v1/tokens/${res.body.tokenId}`).set('Authorization', `Bearer ${res.body.token}`).expect(200);
    const after = await api().get('/api/v1/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(after.status).toBe(401);
  });

  it('refuses scopes the account does not hold', async () => {
    const res = await api().post('/api/v1/tokens').send({ name: 'carla', password: 'long password here', scopes: ['admin'] });
    expect([400, 403]).toContain(res.status);
    const bogus = await api().post('/api/v1/tokens').send({ name: 'carla', password: 'long password here', scopes: ['root'] });
    expect(bogus.status).toBe(400);
    expect(bogus.body.error.message).toContain('publish, review, admin');
  });

  it('lets only an admin grant the reviewer role', async () => {
    const admin = 'ohw_admin-test_' + 'x'.repeat(43);
    await ensureAdmin(reg.deps.accounts, { dataDir: reg.dataDir, adminToken: admin, log: () => {} });
    const carla = (await api().post('/api/v1/tokens').send({ name: 'carla', password: 'long password here' })).body.token;
    await api().put('/api/v1/accounts/carla/roles').set('Authorization', `Bearer ${carla}`).send({ roles: ['reviewer'] }).expect(403);
    const res = await api().put('/api/v1/accounts/carla/roles').set('Authorization', `Bearer ${admin}`).send({ roles: ['reviewer'] });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['reviewer']);
    const review = await api().post('/api/v1/tokens').send({ name: 'carla', password: 'long password here', scopes: ['review'] });
    expect(review.status).toBe(201);
    await api().put('/api/v1/accounts/nobody/roles').set('Authorization', `Bearer ${admin}`).send({ roles: ['reviewer'] }).expect(404);
  });

  it('a revoked or unknown token cannot publish', async () => {
    const res = await publish(reg.app, 'ohw_unknown_secret', 'carla/thing', '1.0.0', await designArchive('carla/thing'));
    expect(res.status).toBe(401);
  });
});
