/**
 * Every write route × every principal × every token scope, against one policy
 * (server/domain/policy.ts): owner actions need ownership and the `publish` scope, reviews need
 * the reviewer role and the `review` scope, admin powers need the admin role and the `admin`
 * scope. Anonymous callers get 401, refused callers 403; an allowed call is never 401/403 (it may
 * still be a 409 when an earlier allowed cell already did the same thing).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKLIST } from '../../../schema/certification/checklist.ts';
import type { Role, Scope } from '../../../server/store/ports.ts';
import { designArchive, makeRegistry, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let certId: string;

type Principal = 'anonymous' | 'owner' | 'other' | 'reviewer' | 'admin';
const ACCOUNTS: Record<Exclude<Principal, 'anonymous'>, { name: string; roles: Role[] }> = {
  // The owner is also a reviewer, so that it can hold review-only tokens (the case that leaked).
  owner: { name: 'olive', roles: ['reviewer'] },
  other: { name: 'otto', roles: [] },
  reviewer: { name: 'rita', roles: ['reviewer'] },
  admin: { name: 'boss', roles: ['admin'] },
};
/** Each principal with each scope its account can hold (a token is refused other scopes). */
const CELLS: Array<{ who: Principal; scope?: Scope }> = [
  { who: 'anonymous' },
  { who: 'owner', scope: 'publish' }, { who: 'owner', scope: 'review' },
  { who: 'other', scope: 'publish' },
  { who: 'reviewer', scope: 'publish' }, { who: 'reviewer', scope: 'review' },
  { who: 'admin', scope: 'publish' }, { who: 'admin', scope: 'review' }, { who: 'admin', scope: 'admin' },
];
const tokens = new Map<string, string>();
const cellName = (c: { who: Principal; scope?: Scope }) => (c.scope ? `${c.who}:${c.scope}` : c.who);

let serial = 0;
const approve = {
  decision: 'approve',
  checklist: Object.fromEntries(CHECKLIST.filter((i) => i.required).map((i) => [i.id, { result: 'pass' }])),
};

interface Route {
  name: string;
  /** Cells allowed (`principal:scope`); every other authenticated cell must be 403. */
  allowed: string[];
  send(token: string | undefined, cell: string): Promise<request.Response>;
}

const withAuth = (req: request.Test, token: string | undefined) => (token ? req.set('Authorization', `Bearer ${token}`) : req);
const call = (method: 'get' | 'post' | 'put' | 'delete', url: string, body?: object) => (token: string | undefined) =>
  withAuth(request(reg.app)[method](url), token).send(body);
const upload = async (url: string, pkg: string, version: string, token: string | undefined) =>
  withAuth(request(reg.app).put(url).set('Content-Type', 'application/gzip'), token).send(await designArchive(pkg, version));

const OWNER_OR_ADMIN = ['owner:publish', 'admin:admin'];
const ROUTES: Route[] = [
  { name: 'publish a version', allowed: ['owner:publish'], send: (t) => { const v = `1.1.${++serial}`; return upload(`/api/v1/designs/olive/lamp/versions/${v}`, 'olive/lamp', v, t); } },
  { name: 'create a design in someone else\'s namespace', allowed: ['owner:publish'], send: (t) => { const p = `olive/new${++serial}`; return upload(`/api/v1/designs/${p}/versions/1.0.0`, p, '1.0.0', t); } },
  { name: 'fork into one\'s own namespace', allowed: ['owner:publish', 'other:publish', 'reviewer:publish', 'admin:publish'], send: (t) => call('post', '/api/v1/designs/olive/lamp/fork', { name: `lamp-fork${++serial}` })(t) },
  { name: 'yank', allowed: OWNER_OR_ADMIN, send: (t) => call('post', '/api/v1/designs/olive/lamp/versions/1.0.0/yank', { reason: 'matrix' })(t) },
  { name: 'un-yank', allowed: OWNER_OR_ADMIN, send: (t) => call('delete', '/api/v1/designs/olive/lamp/versions/1.0.0/yank')(t) },
  { name: 'change owners', allowed: OWNER_OR_ADMIN, send: (t) => call('put', '/api/v1/designs/olive/lamp/owners', { add: ['olive'] })(t) },
  { name: 'request certification', allowed: ['owner:publish'], send: (t) => call('post', '/api/v1/certifications', { package: 'olive/lamp', version: '1.0.0' })(t) },
  { name: 'review', allowed: ['reviewer:review'], send: (t) => call('post', `/api/v1/certifications/${certId}/reviews`, approve)(t) },
  { name: 'renew', allowed: OWNER_OR_ADMIN, send: (t) => call('post', `/api/v1/certifications/${certId}/renew`)(t) },
  { name: 'resubmit', allowed: ['owner:publish'], send: (t) => call('post', `/api/v1/certifications/${certId}/resubmit`, { version: '1.0.1' })(t) },
  { name: 'suspend', allowed: ['admin:admin'], send: (t) => call('post', `/api/v1/certifications/${certId}/suspend`, { reason: 'matrix' })(t) },
  { name: 'reinstate', allowed: ['admin:admin'], send: (t) => call('post', `/api/v1/certifications/${certId}/reinstate`)(t) },
  { name: 'revoke', allowed: ['admin:admin'], send: (t) => call('post', `/api/v1/certifications/${certId}/revoke`, { reason: 'matrix' })(t) },
  { name: 'withdraw', allowed: OWNER_OR_ADMIN, send: (t) => call('post', `/api/v1/certifications/${certId}/withdraw`)(t) },
  { name: 'grant roles', allowed: ['admin:admin'], send: (t) => call('put', '/api/v1/accounts/bea/roles', { roles: [] })(t) },
  { name: 'list own tokens', allowed: CELLS.filter((c) => c.scope).map(cellName), send: (t) => call('get', '/api/v1/tokens')(t) },
];

beforeAll(async () => {
  reg = await makeRegistry();
  for (const [, a] of Object.entries(ACCOUNTS)) {
    await reg.account(a.name);
    if (a.roles.length) await reg.deps.accounts.setRoles(a.name, a.roles);
  }
  await reg.account('bea');
  for (const c of CELLS) {
    if (c.who === 'anonymous') continue;
    const { token } = await reg.deps.accounts.issueToken(ACCOUNTS[c.who].name, { name: cellName(c), scopes: [c.scope!] });
    tokens.set(cellName(c), token);
  }
  for (const v of ['1.0.0', '1.0.1']) {
    const res = await upload(`/api/v1/designs/olive/lamp/versions/${v}`, 'olive/lamp', v, tokens.get('owner:publish'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const cert = await call('post', '/api/v1/certifications', { package: 'olive/lamp', version: '1.0.0' })(tokens.get('owner:publish'));
  expect(cert.status, JSON.stringify(cert.body)).toBe(201);
  certId = cert.body.id;
}, 120_000);
afterAll(() => reg.cleanup());

describe('one policy binds every route, principal and scope', () => {
  it.each(ROUTES.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const c of CELLS) {
      const name = cellName(c);
      const res = await route.send(c.scope ? tokens.get(name) : undefined, name);
      outcome[name] = res.status === 401 ? 'unauthenticated' : res.status === 403 ? 'forbidden' : res.status < 500 && res.status !== 400 && res.status !== 404 ? 'allowed' : `unexpected ${res.status} ${JSON.stringify(res.body)}`;
      expected[name] = c.who === 'anonymous' ? 'unauthenticated' : route.allowed.includes(name) ? 'allowed' : 'forbidden';
      if (res.status === 403) expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(outcome).toEqual(expected);
  }, 60_000);

  it('a refusal says which scope or standing is missing', async () => {
    const res = await call('post', '/api/v1/designs/olive/lamp/versions/1.0.1/yank', {})(tokens.get('owner:review'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/"publish" scope/);
    const admin = await call('put', '/api/v1/designs/olive/lamp/owners', { add: ['otto'] })(tokens.get('admin:publish'));
    expect(admin.status).toBe(403);
    expect(admin.body.error.message).toMatch(/"admin" scope/);
    // Nothing changed: otto is not an owner.
    expect((await reg.deps.designs.state('olive/lamp')).owners).toEqual(['olive']);
  });
});
