/**
 * The OpenAPI document is kept true: every route registered under /api/v1 is in it (and nothing
 * else), and real responses of the main routes validate against its response schemas.
 */
import request from 'supertest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { CEB, PASSWORD, seedWebFixture, type WebFixture } from '../../helpers/web.ts';
import { openApiDocument, openApiPath } from '../../../server/http/openapi.ts';
import { CHECKLIST } from '../../../schema/certification/checklist.ts';

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] }; rawPath?: string; matchers?: Array<(p: string) => unknown> };

/** `METHOD /path` of every route Express will answer under /api/v1, read from the router itself. */
function registeredApiRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push(`${m.toUpperCase()} ${openApiPath(layer.route.path)}`);
      } else if (layer.handle.stack) walk(layer.handle.stack);
    }
  };
  const root = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const api = root.find((l) => l.handle.stack && l.matchers?.[0]?.('/api/v1/x'));
  if (!api) throw new Error('no router mounted at /api/v1');
  walk(api.handle.stack!);
  return [...new Set(out)].sort();
}

function documentedRoutes(): string[] {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
}

let reg: TestRegistry;
let fx: WebFixture;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(openApiDocument(), 'openapi');

/** Validate a body against the documented response of `method path` for `status`. */
function expectDocumented(method: string, path: string, status: number, body: unknown): void {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>> };
  const op = doc.paths[path]?.[method];
  expect(op, `${method} ${path} is documented`).toBeDefined();
  const response = op!.responses[String(status)] ?? op!.responses.default!;
  const pointer = `openapi#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1').replace(/[{}]/g, encodeURIComponent)}/${method}/responses/${op!.responses[String(status)] ? status : 'default'}/content/application~1json/schema`;
  expect(response.content['application/json'], `${method} ${path} ${status} is JSON`).toBeDefined();
  const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
  const ok = validate(body);
  expect(ok ? [] : validate.errors, `${method} ${path} ${status}`).toEqual([]);
}

beforeAll(async () => {
  reg = await makeRegistry();
  fx = await seedWebFixture(reg.deps);
}, 180_000);
afterAll(() => reg.cleanup());

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and served at /api/v1/openapi.json', async () => {
    const res = await request(reg.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expectDocumented('get', '/openapi.json', 200, res.body);
  });

  it('covers every route registered under /api/v1, and documents no route that does not exist', () => {
    const registered = registeredApiRoutes(reg.app);
    expect(registered.length).toBeGreaterThan(20);
    expect(registered.filter((r) => !documentedRoutes().includes(r)), 'routes missing from the document').toEqual([]);
    expect(documentedRoutes().filter((r) => !registered.includes(r)), 'documented routes that do not exist').toEqual([]);
  });
});

describe('real responses match the documented schemas', () => {
  const token = (name: string) => request(reg.app).post('/api/v1/tokens').send({ name, password: PASSWORD, scopes: ['publish', 'review'] }).then((r) => r.body.token as string);

  it('health, search, a design, a version, its BOM, dependents and forks', async () => {
    const cases: Array<[string, string, string]> = [
      ['/api/v1/health', 'get', '/health'],
      ['/api/v1/search?q=press&process=WEL', 'get', '/search'],
      [`/api/v1/designs/${CEB}`, 'get', '/designs/{owner}/{name}'],
      [`/api/v1/designs/${CEB}/versions/${fx.cebVersion}`, 'get', '/designs/{owner}/{name}/versions/{version}'],
      [`/api/v1/designs/${CEB}/versions/${fx.cebVersion}/bom?batch=10`, 'get', '/designs/{owner}/{name}/versions/{version}/bom'],
      ['/api/v1/designs/ose/power-cube/dependents', 'get', '/designs/{owner}/{name}/dependents'],
      [`/api/v1/designs/${CEB}/forks`, 'get', '/designs/{owner}/{name}/forks'],
      [`/api/v1/certifications/${fx.certification}`, 'get', '/certifications/{id}'],
    ];
    for (const [url, method, path] of cases) {
      const res = await request(reg.app).get(url);
      expect(res.status, url).toBe(200);
      expectDocumented(method, path, 200, res.body);
    }
  });

  it('errors, tokens and the account', async () => {
    // The check is not vacuous: a wrong shape fails it.
    expect(() => expectDocumented('get', '/designs/{owner}/{name}', 200, { package: 1, versions: 'none' })).toThrow();
    expect(() => expectDocumented('get', '/search', 200, { hits: [{}], total: -0.5 })).toThrow();
    const missing = await request(reg.app).get('/api/v1/designs/nobody/nothing');
    expectDocumented('get', '/designs/{owner}/{name}', 404, missing.body);
    const login = await request(reg.app).post('/api/v1/tokens').send({ name: 'rita', password: PASSWORD, scopes: ['review'] });
    expectDocumented('post', '/tokens', 201, login.body);
    const me = await request(reg.app).get('/api/v1/me').set('Authorization', `Bearer ${login.body.token}`);
    expectDocumented('get', '/me', 200, me.body);
    const tokens = await request(reg.app).get('/api/v1/tokens').set('Authorization', `Bearer ${login.body.token}`);
    expectDocumented('get', '/tokens', 200, tokens.body);
  });

  it('reviews, the certificate they produce, a fork and a yank', async () => {
    const review = { decision: 'approve', checklist: Object.fromEntries(CHECKLIST.filter((i) => i.required).map((i) => [i.id, { result: 'pass' }])) };
    let last: request.Response | undefined;
    for (const reviewer of fx.reviewers) {
      last = await request(reg.app).post(`/api/v1/certifications/${fx.certification}/reviews`).set('Authorization', `Bearer ${await token(reviewer)}`).send(review);
      expect(last.status).toBe(201);
      expectDocumented('post', '/certifications/{id}/reviews', 201, last.body);
    }
    const uid = last!.body.certificate.uid as string;
    const cert = await request(reg.app).get(`/api/v1/certificates/${uid}`);
    expectDocumented('get', '/certificates/{uid}', 200, cert.body);

    const alice = await reg.account('alice');
    const fork = await request(reg.app).post('/api/v1/designs/ose/power-cube/fork').set('Authorization', `Bearer ${alice}`).send({});
    expect(fork.status).toBe(201);
    expectDocumented('post', '/designs/{owner}/{name}/fork', 201, fork.body);
    const forks = await request(reg.app).get(`/api/v1/designs/${fork.body.package}/forks`);
    expectDocumented('get', '/designs/{owner}/{name}/forks', 200, forks.body);

    const ose = await token('ose');
    const yank = await request(reg.app).post('/api/v1/designs/ose/lifetrac/versions/' + (await request(reg.app).get('/api/v1/designs/ose/lifetrac')).body.latest + '/yank').set('Authorization', `Bearer ${ose}`).send({ reason: 'test' });
    expect(yank.status).toBe(200);
    expectDocumented('post', '/designs/{owner}/{name}/versions/{version}/yank', 200, yank.body);
  });
});
