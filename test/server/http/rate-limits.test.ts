/**
 * Rate limits (README "Rate limits"): per client address and per account, a burst then a steady
 * rate, 429 with Retry-After, kept in the database so a restart does not reset them.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.ts';
import { SqlThrottles } from '../../../server/store/sql/throttles.ts';
import { GENEROUS_RATE_LIMITS, designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry | undefined;
afterEach(async () => { await reg?.cleanup(); reg = undefined; });

const login = (app: TestRegistry['app'], name: string, password: string, from?: string) => {
  const req = request(app).post('/api/v1/tokens');
  if (from) req.set('X-Forwarded-For', from);
  return req.send({ name, password });
};

describe('log-in throttles', () => {
  it('wrong passwords spread over 3 addresses lock the account; the right password is refused while locked', async () => {
    // Production defaults for the account lock (50 wrong passwords an hour); per address 30/min.
    reg = await makeRegistry({ trustProxy: true, rateLimits: { authPerAddressPerMinute: 30, loginFailuresPerAccount: 50, loginLockSeconds: 900 } });
    await reg.account('vera');
    const statuses: number[] = [];
    for (let i = 0; i < 75; i++) statuses.push((await login(reg.app, 'vera', `guess ${i} guess`, `203.0.113.${i % 3}`)).status);
    // No single address went over its 30 a minute (25 each), yet the account locked.
    expect(statuses.slice(0, 51).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(51).every((s) => s === 429)).toBe(true);
    const right = await login(reg.app, 'vera', 'correct horse battery', '198.51.100.7');
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('RATE_LIMITED');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.body.error.message).toMatch(/locked/);
    // Another account is not affected.
    await reg.account('walt');
    expect((await login(reg.app, 'walt', 'correct horse battery', '203.0.113.0')).status).toBe(201);
  }, 60_000);

  it('per address: the 4th attempt in a minute is 429 with Retry-After', async () => {
    reg = await makeRegistry({ rateLimits: { authPerAddressPerMinute: 3 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await login(reg.app, 'nobody', 'nope nope nope')).status);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const res = await login(reg.app, 'nobody', 'nope nope nope');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('X-Forwarded-For is ignored unless OHW_TRUST_PROXY trusts the proxy', async () => {
    reg = await makeRegistry({ rateLimits: { authPerAddressPerMinute: 2 } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await login(reg.app, 'nobody', 'nope nope nope', `192.0.2.${i}`)).status);
    // A forged header does not give each attempt a fresh address.
    expect(codes).toEqual([401, 401, 429]);
  });
});

describe('per-account publish limits: a burst, then a steady rate', () => {
  it('new designs: the burst goes through, the next is 429 with Retry-After, and nothing of it is stored', async () => {
    reg = await makeRegistry({ rateLimits: { newDesigns: { burst: 2, everySeconds: 600 } } });
    const token = await reg.account('tina');
    for (const n of ['a1', 'a2']) expect((await publish(reg.app, token, `tina/${n}`, '1.0.0', await designArchive(`tina/${n}`))).status).toBe(201);
    const third = await publish(reg.app, token, 'tina/a3', '1.0.0', await designArchive('tina/a3'));
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(await reg.deps.designs.exists('tina/a3')).toBe(false);
    // Versions of an existing design have their own allowance.
    expect((await publish(reg.app, token, 'tina/a1', '1.0.1', await designArchive('tina/a1', '1.0.1'))).status).toBe(201);
    // And another account has its own.
    const uma = await reg.account('uma');
    expect((await publish(reg.app, uma, 'uma/b1', '1.0.0', await designArchive('uma/b1'))).status).toBe(201);
  }, 60_000);

  it('a refused publish does not use the allowance', async () => {
    reg = await makeRegistry({ rateLimits: { newDesigns: { burst: 1, everySeconds: 600 } } });
    const token = await reg.account('ivy');
    const bad = await publish(reg.app, token, 'ivy/x', '1.0.0', await designArchive('ivy/x', '1.0.0', (y) => y.replace(/^summary:.*$/m, 'summary: 42')));
    expect(bad.status).toBe(400);
    expect((await publish(reg.app, token, 'ivy/x', '1.0.0', await designArchive('ivy/x'))).status).toBe(201);
  }, 60_000);

  it('versions and yanks: burst then 429', async () => {
    reg = await makeRegistry({ rateLimits: { versions: { burst: 2, everySeconds: 60 }, yanks: { burst: 2, everySeconds: 60 } } });
    const token = await reg.account('pia');
    expect((await publish(reg.app, token, 'pia/v', '1.0.0', await designArchive('pia/v'))).status).toBe(201);
    for (const v of ['1.0.1', '1.0.2']) expect((await publish(reg.app, token, 'pia/v', v, await designArchive('pia/v', v))).status).toBe(201);
    const over = await publish(reg.app, token, 'pia/v', '1.0.3', await designArchive('pia/v', '1.0.3'));
    expect(over.status).toBe(429);
    expect(await reg.deps.designs.version('pia/v', '1.0.3')).toBeUndefined();
    const yank = () => request(reg!.app).post('/api/v1/designs/pia/v/versions/1.0.0/yank').set('Authorization', `Bearer ${token}`).send({});
    const unyank = () => request(reg!.app).delete('/api/v1/designs/pia/v/versions/1.0.0/yank').set('Authorization', `Bearer ${token}`);
    expect((await yank()).status).toBe(200);
    expect((await unyank()).status).toBe(200);
    const third = await yank();
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
    expect((await reg.deps.designs.state('pia/v')).yanked).toEqual({});
  }, 60_000);

  it('counters live in the database, not in the limiter object: a fresh one still refuses', async () => {
    const limits = { ...GENEROUS_RATE_LIMITS, newDesigns: { burst: 1, everySeconds: 600 } };
    reg = await makeRegistry({ rateLimits: limits });
    const token = await reg.account('rhea');
    expect((await publish(reg.app, token, 'rhea/one', '1.0.0', await designArchive('rhea/one'))).status).toBe(201);
    const app = createApp({ ...reg.deps, throttles: new SqlThrottles(reg.deps.db, limits) });
    const res = await publish(app, token, 'rhea/two', '1.0.0', await designArchive('rhea/two'));
    expect(res.status).toBe(429);
    const rows = await reg.deps.db.kysely.selectFrom('throttles').select('key').execute();
    expect(rows.map((r) => r.key)).toContain('new-designs:rhea');
  }, 60_000);

  it('counters whose window has ended are swept when the throttles start', async () => {
    reg = await makeRegistry();
    await reg.deps.db.kysely.insertInto('throttles').values([
      { key: 'versions:old', points: 3, expire: 1 },
      { key: 'versions:live', points: 1, expire: Number.MAX_SAFE_INTEGER },
    ]).execute();
    new SqlThrottles(reg.deps.db, GENEROUS_RATE_LIMITS);
    const keys = (await reg.deps.db.kysely.selectFrom('throttles').select('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['versions:live']);
  });
});
