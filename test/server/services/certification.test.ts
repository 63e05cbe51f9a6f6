import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../../schema/archive.ts';
import { CHECKLIST } from '../../../schema/certification/checklist.ts';
import { replay } from '../../../schema/certification/record.ts';
import { ensureAdmin } from '../../../server/store/accounts/ensure-admin.ts';
import { designArchive, designFiles, makeRegistry, publish, withoutResponsibleParty, type TestRegistry } from '../../helpers/registry.ts';

const ADMIN = 'admin-token-for-certification-tests';
const PASSWORD = 'correct horse battery';

let reg: TestRegistry;
const tokens: Record<string, string> = {};
const api = () => request(reg.app);
const auth = (who: string) => ({ Authorization: `Bearer ${who === 'admin' ? ADMIN : tokens[who]}` });

/** Every required item passes: what an approving reviewer sends. */
const checklist = (over: Record<string, unknown> = {}) => ({
  ...Object.fromEntries(CHECKLIST.filter((i) => i.required).map((i) => [i.id, { result: 'pass', comment: `checked ${i.id}` }])),
  ...over,
});
const approve = { decision: 'approve', checklist: checklist(), maturity: { technology: 'OTRL-3', documentation: 'ODRL-3' } };

async function reviewerAccount(name: string, alsoPublish = false): Promise<void> {
  const publishToken = await reg.account(name);
  const roles = await api().put(`/api/v1/accounts/${name}/roles`).set(auth('admin')).send({ roles: ['reviewer'] });
  expect(roles.status).toBe(200);
  const login = await api().post('/api/v1/tokens').send({ name, password: PASSWORD, scopes: alsoPublish ? ['review', 'publish'] : ['review'] });
  expect(login.status).toBe(201);
  tokens[name] = login.body.token as string;
  tokens[`${name}:publish`] = publishToken;
}

async function publishDesign(owner: string, pkg: string, version = '1.0.0', edit?: (y: string) => string) {
  const res = await publish(reg.app, tokens[owner], pkg, version, await designArchive(pkg, version, edit));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const requestCert = (who: string, pkg: string, version = '1.0.0') =>
  api().post('/api/v1/certifications').set(auth(who)).send({ package: pkg, version });
const review = (who: string, id: string, body: unknown = approve) =>
  api().post(`/api/v1/certifications/${id}/reviews`).set(auth(who)).send(body as object);
const act = (who: string, id: string, action: string, body: object = {}) =>
  api().post(`/api/v1/certifications/${id}/${action}`).set(auth(who)).send(body);

/** Publish, request and approve twice: a certified design. */
async function certified(owner: string, pkg: string, version = '1.0.0') {
  await publishDesign(owner, pkg, version);
  const r = await requestCert(owner, pkg, version);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect((await review('rev1', r.body.id)).status).toBe(201);
  const done = await review('rev2', r.body.id);
  expect(done.body.state).toBe('certified');
  return done.body as { id: string; certificate: { uid: string } };
}

beforeAll(async () => {
  reg = await makeRegistry({ quorum: 2 });
  await ensureAdmin(reg.deps.accounts, { dataDir: reg.dataDir, adminToken: ADMIN, log() {} });
  for (const n of ['alice', 'bob', 'mallory']) tokens[n] = await reg.account(n);
  for (const n of ['rev1', 'rev2', 'rev3']) await reviewerAccount(n);
  await reviewerAccount('carol', true); // a reviewer who also publishes designs
}, 60_000);
afterAll(async () => reg.cleanup());

describe('the certification flow', () => {
  let id: string;
  let uid: string;

  it('an owner requests certification; the automatic checks run and pass', async () => {
    await publishDesign('alice', 'alice/widget');
    const r = await requestCert('alice', 'alice/widget');
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`/api/v1/certifications/${r.body.id}`);
    id = r.body.id;
    expect(id).toMatch(/^CR-\d{6}$/);
    expect(r.body.state).toBe('in-review');
    expect(r.body.checksPassed).toBe(true);
    expect(r.body.checks.map((c: { id: string }) => c.id)).toEqual([
      'manifest-valid', 'licenses-open', 'editable-sources', 'bom-complete', 'subassemblies-resolve', 'proprietary-disclosed', 'docs-present', 'lineage',
    ]);
    expect(r.body.checks.every((c: { result: string }) => c.result !== 'fail')).toBe(true);
    expect(r.body.checklist).toEqual(CHECKLIST);
    expect(r.body.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.body.tag).toMatch(/^[0-9a-f]{40}$/);
  });

  it('a second request for the same version is a conflict', async () => {
    const r = await requestCert('alice', 'alice/widget');
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain(id);
  });

  it('two approvals reach the quorum and issue OHC-000001 with ODRL-3*', async () => {
    const first = await review('rev1', id, { ...approve, maturity: { technology: 'OTRL-4' } });
    expect(first.status).toBe(201);
    expect(first.body.state).toBe('in-review');
    expect(first.body.approvals).toBe(1);
    expect(first.body.certificate).toBeNull();
    const second = await review('rev2', id);
    expect(second.status).toBe(201);
    expect(second.body.state).toBe('certified');
    const c = second.body.certificate;
    uid = c.uid;
    expect(uid).toBe('OHC-000001');
    expect(c.maturity).toEqual({ technology: 'OTRL-3', documentation: 'ODRL-3*' }); // the lowest assessed
    expect(c.reviewers).toEqual(['rev1', 'rev2']);
    expect(new Date(c.validUntil).getTime() - new Date(c.validFrom).getTime()).toBe(365 * 24 * 3600 * 1000);
  });

  it('serves the certificate with where its record is', async () => {
    const r = await api().get(`/api/v1/certificates/${uid}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ uid, certification: id, package: 'alice/widget', version: '1.0.0', state: 'certified', flags: [] });
    expect(r.body.record.path).toBe(`certifications/${id}.jsonl`);
    expect(r.body.record.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(r.body.record.repository).toBe('/git/index.git');
    expect((await api().get('/api/v1/certificates/OHC-999999')).status).toBe(404);
    expect((await api().get('/api/v1/certificates/nonsense')).status).toBe(404);
  });

  it('serves a badge with the UID and the version', async () => {
    const r = await api().get(`/api/v1/certificates/${uid}/badge.svg`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('image/svg+xml');
    const svg = r.body.toString();
    expect(svg).toContain(uid);
    expect(svg).toContain('v1.0.0');
    expect(svg).toContain('#2e7d32');
  });

  it('records one commit per event in index.git, authored by its actor', async () => {
    const history = await reg.deps.index.history(`certifications/${id}.jsonl`);
    const authors = history.map((h) => h.author.name);
    // history order is the store's; compare as a multiset plus the final text.
    expect([...authors].sort()).toEqual(['alice', 'ohw-registry', 'rev1', 'rev2'].sort());
    const text = (await reg.deps.index.read(`certifications/${id}.jsonl`))!;
    const { view, problems } = replay(id, text);
    expect(problems).toEqual([]);
    expect(view!.events.map((e) => `${e.type}:${e.actor}`)).toEqual(['submitted:alice', 'checks:ohw-registry', 'review:rev1', 'review:rev2', 'certified:rev2']);
  });

  it('package reads and search show the certification', async () => {
    const d = await api().get('/api/v1/designs/alice/widget');
    expect(d.body.certifications).toMatchObject({ id, state: 'certified', uid, version: '1.0.0', maturity: { documentation: 'ODRL-3*' } });
    const s = await api().get('/api/v1/search?certified=true');
    expect(s.status).toBe(200);
    const ids = JSON.stringify(s.body.hits);
    expect(ids).toContain('alice/widget');
    const all = await api().get('/api/v1/search?certified=false&limit=100');
    expect(JSON.stringify(all.body.hits)).not.toContain('alice/widget');
  });

  it('after the decision, further reviews are refused as an invalid transition', async () => {
    const r = await review('rev3', id);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('INVALID_TRANSITION');
    expect(r.body.error.message).toContain('certified');
  });
});

describe('who may do what', () => {
  let id: string;
  beforeAll(async () => {
    await publishDesign('carol', 'carol/gadget');
    const r = await requestCert('carol', 'carol/gadget');
    expect(r.status).toBe(201);
    id = r.body.id;
  });

  it('a non-owner cannot request certification, and no record is made', async () => {
    const before = await reg.deps.index.list('certifications/');
    const r = await requestCert('mallory', 'carol/gadget');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
    expect(await reg.deps.index.list('certifications/')).toEqual(before);
  });

  it('anonymous requests are refused', async () => {
    const r = await api().post('/api/v1/certifications').send({ package: 'carol/gadget', version: '1.0.0' });
    expect(r.status).toBe(401);
  });

  it('a non-reviewer cannot review', async () => {
    const r = await review('mallory', id);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('reviewer role');
  });

  it('a reviewer token without the review scope cannot review', async () => {
    const r = await review('rev1:publish', id);
    expect(r.status).toBe(403);
  });

  it('an owner who is a reviewer cannot review their own design', async () => {
    const r = await review('carol', id);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('carol owns carol/gadget');
  });

  it('an upstream owner cannot review a fork of their design', async () => {
    const fork = await api().post('/api/v1/designs/carol/gadget/fork').set(auth('bob')).send({ owner: 'bob', name: 'gadget-fork' });
    expect(fork.status, JSON.stringify(fork.body)).toBe(201);
    // The fork starts without versions of its own: bob publishes one, crediting the upstream.
    const version = '1.1.0';
    await publishDesign('bob', 'bob/gadget-fork', version, (y) => `${y}forkOf:\n  package: carol/gadget\n  version: 1.0.0\n`);
    const r = await requestCert('bob', 'bob/gadget-fork', version);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.owners).toEqual(['bob', 'carol']);
    const lineage = r.body.checks.find((c: { id: string }) => c.id === 'lineage');
    expect(lineage.evidence).toContain('fork of carol/gadget');
    const rv = await review('carol', r.body.id);
    expect(rv.status).toBe(403);
    expect(rv.body.error.message).toContain('(or its upstream)');
  });

  it('a second review by the same reviewer in a round is a conflict', async () => {
    expect((await review('rev1', id)).status).toBe(201);
    const again = await review('rev1', id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
    expect(again.body.error.message).toContain('already reviewed');
  });

  it('a checklist with missing or unknown items is refused, naming them', async () => {
    const { 'oshw-scope': _a, 'maturity-plausible': _b, ...partial } = checklist();
    const r = await review('rev2', id, { decision: 'approve', checklist: { ...partial, 'looks-nice': { result: 'pass' } } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('missing required checklist item(s): oshw-scope, maturity-plausible');
    expect(r.body.error.message).toContain('unknown checklist item(s): looks-nice');
  });

  it('an approval failing a required item, a bad decision or a bad maturity level is refused', async () => {
    let r = await review('rev2', id, { ...approve, checklist: checklist({ 'oshw-scope': { result: 'fail', comment: 'unclear' } }) });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('oshw-scope');
    r = await review('rev2', id, { ...approve, decision: 'maybe' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('"decision" must be one of approve, changes, reject');
    r = await review('rev2', id, { ...approve, maturity: { technology: 'OTRL-9' } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('maturity.technology');
  });

  it('lifecycle actions need the right person', async () => {
    expect((await act('mallory', id, 'withdraw')).status).toBe(403);
    expect((await act('carol', id, 'revoke', { reason: 'x' })).status).toBe(403);
    expect((await act('carol', id, 'suspend', { reason: 'x' })).status).toBe(403);
  });

  it('refused reviews and actions leave no trace in the record', async () => {
    const c = await api().get(`/api/v1/certifications/${id}`);
    expect(c.body.history.map((h: { type: string }) => h.type)).toEqual(['submitted', 'checks', 'review']);
    expect(c.body.reviews.map((r: { reviewer: string }) => r.reviewer)).toEqual(['rev1']);
    expect(await reg.deps.index.history(`certifications/${id}.jsonl`)).toHaveLength(3);
  });

  it('unknown ids and actions are 404', async () => {
    expect((await api().get('/api/v1/certifications/CR-999999')).status).toBe(404);
    expect((await api().get('/api/v1/certifications/../../etc')).status).toBe(404);
    expect((await act('admin', id, 'explode')).status).toBe(404);
  });
});

describe('automatic checks that fail block the review', () => {
  it('an export-only source fails editable-sources; reviews are a conflict', async () => {
    const pkg = 'alice/stl-only';
    const files = designFiles(pkg, '1.0.0', (y) => y.replace('    - src/stl-only.scad', '    - exports/body.stl').replace('source: src/stl-only.scad', 'source: exports/body.stl'));
    files.push({ path: 'exports/body.stl', data: Buffer.from('solid body\nendsolid body\n') });
    const up = await publish(reg.app, tokens.alice, pkg, '1.0.0', await writeArchive(files));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const r = await requestCert('alice', pkg);
    expect(r.status).toBe(201);
    expect(r.body.state).toBe('submitted');
    expect(r.body.checksPassed).toBe(false);
    const check = r.body.checks.find((c: { id: string }) => c.id === 'editable-sources');
    expect(check).toEqual({ id: 'editable-sources', result: 'fail', evidence: expect.stringContaining('exports/body.stl are exports') });
    const rv = await review('rev1', r.body.id);
    expect(rv.status).toBe(409);
    expect(rv.body.error.code).toBe('CONFLICT');
    expect(rv.body.error.message).toContain('failed its automatic checks');
    const changes = await review('rev1', r.body.id, { decision: 'reject', checklist: checklist() });
    expect(changes.status).toBe(409);
  });
});

describe('yanked versions', () => {
  it('a certificate for a yanked version is flagged in reads', async () => {
    const c = await certified('alice', 'alice/yankee');
    expect((await api().post('/api/v1/designs/alice/yankee/versions/1.0.0/yank').set(auth('alice')).send({ reason: 'bad' })).status).toBe(200);
    const read = await api().get(`/api/v1/certifications/${c.id}`);
    expect(read.body.flags).toEqual(['version-yanked']);
    const cert = await api().get(`/api/v1/certificates/${c.certificate.uid}`);
    expect(cert.body.flags).toEqual(['version-yanked']);
  });

  it('a yanked version cannot be submitted', async () => {
    await publishDesign('alice', 'alice/yanked-first');
    await api().post('/api/v1/designs/alice/yanked-first/versions/1.0.0/yank').set(auth('alice')).send({});
    const r = await requestCert('alice', 'alice/yanked-first');
    expect(r.status).toBe(409);
  });
});

describe('concurrency and UIDs', () => {
  it('two approvals at the same moment yield exactly one certificate and one UID; later ones follow without gaps', async () => {
    const before = (await reg.deps.index.list('certificates/')).length;
    await publishDesign('bob', 'bob/racer');
    const r = await requestCert('bob', 'bob/racer');
    const [a, b] = await Promise.all([review('rev1', r.body.id), review('rev2', r.body.id)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const read = await api().get(`/api/v1/certifications/${r.body.id}`);
    expect(read.body.state).toBe('certified');
    const uids = (await reg.deps.index.list('certificates/')).sort();
    expect(uids).toHaveLength(before + 1);
    const text = (await reg.deps.index.read(`certifications/${r.body.id}.jsonl`))!;
    expect(text.split('\n').filter((l) => l.includes('"type":"certified"'))).toHaveLength(1);
    const next = await certified('bob', 'bob/racer-two');
    const n = (s: string) => Number(s.slice(4));
    expect(n(next.certificate.uid)).toBe(n(read.body.certificate.uid) + 1);
    expect(uids.map((p) => p.replace(/^certificates\/|\.json$/g, ''))).toEqual(
      Array.from({ length: uids.length }, (_, i) => `OHC-${String(i + 1).padStart(6, '0')}`));
  });
});

describe('lifecycle', () => {
  it('suspend → reinstate → renew → withdraw; illegal moves are INVALID_TRANSITION', async () => {
    const c = await certified('bob', 'bob/cycle');
    expect((await act('admin', c.id, 'suspend')).status).toBe(400);
    let r = await act('admin', c.id, 'suspend', { reason: 'complaint under investigation' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('suspended');
    let badge = (await api().get(`/api/v1/certificates/${c.certificate.uid}/badge.svg`)).body.toString();
    expect(badge).toContain('SUSPENDED');
    r = await act('bob', c.id, 'renew');
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringContaining('cannot renew a certification that is suspended') });
    r = await act('admin', c.id, 'withdraw');
    expect(r.status).toBe(409);
    r = await act('admin', c.id, 'reinstate', { reason: 'complaint unfounded' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('certified');
    const until = r.body.certificate.validUntil as string;
    r = await act('admin', c.id, 'reinstate');
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('cannot reinstate a certification that is certified');
    r = await act('bob', c.id, 'renew');
    expect(r.status).toBe(200);
    expect(new Date(r.body.certificate.validUntil).getTime()).toBe(new Date(until).getTime() + 365 * 24 * 3600 * 1000);
    r = await act('bob', c.id, 'withdraw', { reason: 'no longer maintained' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('withdrawn');
    r = await act('admin', c.id, 'revoke', { reason: 'too late' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('none (final state)');
    badge = (await api().get(`/api/v1/certificates/${c.certificate.uid}/badge.svg`)).body.toString();
    expect(badge).toContain('WITHDRAWN');
    const text = (await reg.deps.index.read(`certifications/${c.id}.jsonl`))!;
    expect(replay(c.id, text).problems).toEqual([]);
  });

  it('revoke needs a reason, and a revoked badge looks different', async () => {
    const c = await certified('bob', 'bob/revokee');
    const good = (await api().get(`/api/v1/certificates/${c.certificate.uid}/badge.svg`)).body.toString();
    let r = await act('admin', c.id, 'revoke');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('reason');
    r = await act('admin', c.id, 'revoke', { reason: 'the design infringes a patent' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('revoked');
    expect(r.body.history.at(-1)).toMatchObject({ type: 'revoked', actor: 'admin', reason: 'the design infringes a patent' });
    const cert = await api().get(`/api/v1/certificates/${c.certificate.uid}`);
    expect(cert.body.state).toBe('revoked');
    const bad = (await api().get(`/api/v1/certificates/${c.certificate.uid}/badge.svg`)).body.toString();
    expect(bad).not.toBe(good);
    expect(bad).toContain('REVOKED');
    expect(bad).toContain('#c62828');
    expect(bad).toContain(c.certificate.uid);
    expect(bad).not.toContain('#2e7d32');
    const d = await api().get('/api/v1/designs/bob/revokee');
    expect(d.body.certifications.state).toBe('revoked');
    const s = await api().get('/api/v1/search?certified=true&limit=100');
    expect(JSON.stringify(s.body.hits)).not.toContain('bob/revokee');
  });

  it('changes requested → resubmit a new version → checks → review again → certified', async () => {
    await publishDesign('alice', 'alice/iterate');
    const r = await requestCert('alice', 'alice/iterate');
    let x = await review('rev1', r.body.id, { decision: 'changes', checklist: checklist(), comment: 'add photos' });
    expect(x.status).toBe(201);
    expect(x.body.state).toBe('changes-requested');
    x = await review('rev2', r.body.id);
    expect(x.status).toBe(409);
    x = await act('alice', r.body.id, 'resubmit', { version: '1.0.0' });
    expect(x.status).toBe(409); // the same version
    x = await act('alice', r.body.id, 'resubmit', {});
    expect(x.status).toBe(400);
    await publishDesign('alice', 'alice/iterate', '1.1.0');
    x = await act('mallory', r.body.id, 'resubmit', { version: '1.1.0' });
    expect(x.status).toBe(403);
    x = await act('alice', r.body.id, 'resubmit', { version: '1.1.0' });
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ state: 'in-review', version: '1.1.0', checksPassed: true, approvals: 0 });
    expect((await review('rev1', r.body.id)).status).toBe(201); // a new round: rev1 may review again
    x = await review('rev2', r.body.id);
    expect(x.body.state).toBe('certified');
    expect(x.body.certificate.version).toBe('1.1.0');
    expect(x.body.reviews.map((v: { reviewer: string; round: number }) => `${v.reviewer}@${v.round}`)).toEqual(['rev1@1', 'rev1@2', 'rev2@2']);
  });

  it('reject is final', async () => {
    await publishDesign('alice', 'alice/rejectee');
    const r = await requestCert('alice', 'alice/rejectee');
    const x = await review('rev1', r.body.id, { decision: 'reject', checklist: checklist({ 'oshw-scope': { result: 'fail', comment: 'no licence scope' } }) });
    expect(x.body.state).toBe('rejected');
    for (const [who, action, body] of [['alice', 'resubmit', { version: '1.0.0' }], ['alice', 'renew', {}], ['alice', 'withdraw', {}], ['admin', 'suspend', { reason: 'x' }]] as const) {
      const y = await act(who, r.body.id, action, body);
      expect(y.status, action).toBe(409);
      expect(y.body.error.code).toBe('INVALID_TRANSITION');
      expect(y.body.error.message).toContain('is rejected');
    }
    // A rejected version may be submitted again as a new certification.
    expect((await requestCert('alice', 'alice/rejectee')).status).toBe(201);
  });

  it('an in-review certification cannot be suspended, revoked, renewed or withdrawn', async () => {
    await publishDesign('alice', 'alice/pending');
    const r = await requestCert('alice', 'alice/pending');
    for (const [action, body] of [['suspend', { reason: 'x' }], ['revoke', { reason: 'x' }], ['renew', {}], ['withdraw', {}], ['reinstate', {}], ['resubmit', { version: '1.0.0' }]] as const) {
      const y = await act('admin', r.body.id, action, body);
      if (action === 'resubmit') { expect(y.status).toBe(403); continue; } // owners only
      expect(y.status, action).toBe(409);
      expect(y.body.error.message).toContain('is in-review; from in-review the allowed next states are: certified, changes-requested, rejected');
    }
  });
});

describe('what a certificate needs', () => {
  it('the design\'s responsibleParty: a request without one is refused, naming the field, and nothing is recorded', async () => {
    const res = await publish(reg.app, tokens.alice, 'alice/unanswered', '1.0.0', await designArchive('alice/unanswered', '1.0.0', withoutResponsibleParty));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const before = await reg.deps.index.list('certifications/');
    const r = await requestCert('alice', 'alice/unanswered');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('responsibleParty');
    expect(r.body.error.issues).toEqual([expect.objectContaining({ file: 'design.yaml', path: 'responsibleParty', code: 'responsible-party-missing' })]);
    expect(await reg.deps.index.list('certifications/')).toEqual(before);
  });

  it('a version yanked after the request gets no certificate: the record goes to changes-requested with the reason', async () => {
    await publishDesign('alice', 'alice/late-yank');
    const r = await requestCert('alice', 'alice/late-yank');
    expect((await review('rev1', r.body.id)).status).toBe(201);
    const yank = await api().post('/api/v1/designs/alice/late-yank/versions/1.0.0/yank').set(auth('alice')).send({ reason: 'the hinge cracks' });
    expect(yank.status).toBe(200);
    const before = await reg.deps.index.list('certificates/');
    const x = await review('rev2', r.body.id);
    expect(x.status).toBe(201);
    expect(x.body.state).toBe('changes-requested');
    expect(x.body.certificate).toBeNull();
    const last = x.body.history.at(-1);
    expect(last).toMatchObject({ type: 'changes-requested', actor: 'ohw-registry' });
    expect(last.reason).toContain('alice/late-yank@1.0.0 was yanked');
    expect(last.reason).toContain('the hinge cracks');
    expect(await reg.deps.index.list('certificates/')).toEqual(before);
    // The record stays sound, and the registry's decision is committed as the registry.
    const text = (await reg.deps.index.read(`certifications/${r.body.id}.jsonl`))!;
    expect(replay(r.body.id, text).problems).toEqual([]);
    const history = await reg.deps.index.history(`certifications/${r.body.id}.jsonl`);
    expect(history.map((h) => h.author.name).at(-1)).toBe('ohw-registry');
  });

  it('the mark belongs to the certified version: a newer, uncertified version is not shown as certified', async () => {
    const c = await certified('bob', 'bob/marked');
    expect(c.certificate.uid).toMatch(/^OHC-/);
    let s = await api().get('/api/v1/search?certified=true&limit=100');
    expect(JSON.stringify(s.body.hits)).toContain('bob/marked');
    await publishDesign('bob', 'bob/marked', '1.1.0');
    s = await api().get('/api/v1/search?certified=true&limit=100');
    expect(JSON.stringify(s.body.hits)).not.toContain('bob/marked');
    const hit = (await api().get('/api/v1/search?q=marked&limit=100')).body.hits.find((h: { package: string }) => h.package === 'bob/marked');
    expect(hit).toMatchObject({ version: '1.1.0', certified: false });
    expect(hit.odrl).not.toBe('ODRL-3*');
    // The package read still names the certificate, with the version it covers.
    const d = await api().get('/api/v1/designs/bob/marked');
    expect(d.body.latest).toBe('1.1.0');
    expect(d.body.certifications).toMatchObject({ state: 'certified', version: '1.0.0' });
  });
});
