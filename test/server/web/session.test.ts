/**
 * Sign-in, sessions and CSRF on the web site, and the forms that write: a review, a certification
 * request, yank/un-yank. Forged or missing tokens are 403 and store nothing; wrong passwords give
 * the form again; the same throttle as the API applies.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { CEB, PASSWORD, seedWebFixture, type WebFixture } from '../../helpers/web.ts';
import { createApp } from '../../../server/http/app.ts';
import { readCertification } from '../../../server/services/certification.ts';
import { readDesign } from '../../../server/services/read-design.ts';
import { cookiesOf, csrfIn, signIn } from './browserless.ts';

let reg: TestRegistry;
let fx: WebFixture;

beforeAll(async () => {
  reg = await makeRegistry();
  fx = await seedWebFixture(reg.deps);
}, 180_000);
afterAll(() => reg.cleanup());

const sessionRows = () => reg.deps.db.kysely.selectFrom('web_sessions').selectAll().execute();

/** A complete approving review as the form sends it. */
async function approvalForm(csrf: string): Promise<Record<string, string>> {
  const cert = await readCertification(reg.deps, fx.certification);
  const form: Record<string, string> = { _csrf: csrf, decision: 'approve', 'maturity.technology': 'OTRL-5', comment: 'Built one; the drawings suffice.' };
  for (const item of cert.checklist) form[`check.${item.id}`] = 'pass';
  return form;
}

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax, expiring session cookie whose id is stored only as a hash', async () => {
    const form = await request(reg.app).get('/login');
    expect(form.status).toBe(200);
    const res = await request(reg.app).post('/login').set('Cookie', cookiesOf(form)).type('form')
      .send({ _csrf: csrfIn(form.text), name: 'rita', password: PASSWORD, next: '/reviews' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/reviews');
    const set = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ohw_session='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Max-Age=\d+/);
    expect(set).toMatch(/Expires=/);
    expect(set).not.toMatch(/Secure/i); // plain HTTP here
    const id = set.split(';')[0]!.split('=')[1]!;
    const rows = (await sessionRows()).filter((r) => r.account === 'rita');
    expect(rows.map((r) => r.id_hash)).toContain(`sha256:${crypto.createHash('sha256').update(id).digest('hex')}`);
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    const app = createApp(reg.deps, { trustProxy: true });
    const form = await request(app).get('/login').set('X-Forwarded-Proto', 'https');
    expect((form.headers['set-cookie'] as unknown as string[])[0]).toMatch(/Secure/);
    const res = await request(app).post('/login').set('X-Forwarded-Proto', 'https').set('Cookie', cookiesOf(form)).type('form')
      .send({ _csrf: csrfIn(form.text), name: 'raul', password: PASSWORD });
    expect(res.status).toBe(303);
    expect((res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ohw_session='))).toMatch(/;\s*Secure/i);
  });

  it('a wrong password gives the form again with a message and no session', async () => {
    const before = (await sessionRows()).length;
    const form = await request(reg.app).get('/login');
    const res = await request(reg.app).post('/login').set('Cookie', cookiesOf(form)).type('form')
      .send({ _csrf: csrfIn(form.text), name: 'rita', password: 'not the password' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Wrong account name or password.');
    expect(res.text).toContain('value="rita"');
    expect(res.text).toContain('action="/login"');
    expect((await sessionRows()).length).toBe(before);
  });

  it('a sign-in without the login token is refused with 403 and no session', async () => {
    const before = (await sessionRows()).length;
    const res = await request(reg.app).post('/login').type('form').send({ name: 'rita', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.text).toContain('security token');
    const forged = await request(reg.app).post('/login').set('Cookie', 'ohw_login_csrf=' + 'a'.repeat(43)).type('form')
      .send({ _csrf: 'b'.repeat(43), name: 'rita', password: PASSWORD });
    expect(forged.status).toBe(403);
    expect((await sessionRows()).length).toBe(before);
  });

  it('an open redirect after sign-in is not followed', async () => {
    const form = await request(reg.app).get('/login');
    const res = await request(reg.app).post('/login').set('Cookie', cookiesOf(form)).type('form')
      .send({ _csrf: csrfIn(form.text), name: 'raul', password: PASSWORD, next: '//evil.example/' });
    expect(res.headers.location).toBe('/accounts/raul');
  });

  it('signing out deletes the session; the old cookie no longer signs in', async () => {
    const b = await signIn(reg.app, 'raul');
    expect((await request(reg.app).get('/').set('Cookie', b.cookie)).text).toContain('Sign out');
    const out = await request(reg.app).post('/logout').set('Cookie', b.cookie).type('form').send({ _csrf: b.csrf });
    expect(out.status).toBe(303);
    expect((out.headers['set-cookie'] as unknown as string[]).join()).toMatch(/ohw_session=;/);
    const after = await request(reg.app).get('/').set('Cookie', b.cookie);
    expect(after.text).toContain('href="/login"');
    expect(after.text).not.toContain('Sign out');
  });
});

describe('the reviewer\'s desk', () => {
  it('the queue lists the certification for a reviewer and leaves it out for its owner', async () => {
    const rita = await signIn(reg.app, 'rita');
    const queue = await request(reg.app).get('/reviews').set('Cookie', rita.cookie);
    expect(queue.status).toBe(200);
    expect(queue.text).toContain(`href="/certifications/${fx.certification}"`);
    const ose = await signIn(reg.app, 'ose');
    const own = await request(reg.app).get('/reviews').set('Cookie', ose.cookie);
    expect(own.text).not.toContain(`href="/certifications/${fx.certification}"`);
    expect((await request(reg.app).get('/reviews')).headers.location).toBe('/login?next=/reviews');
  });

  it('an owner who is a reviewer sees why they cannot review, and a forced post is refused by the service', async () => {
    const ose = await signIn(reg.app, 'ose');
    const page = await request(reg.app).get(`/certifications/${fx.certification}`).set('Cookie', ose.cookie);
    expect(page.text).toContain('You cannot review this certification: you own ose/liberator-ceb-press');
    expect(page.text).not.toContain('Submit review');
    const res = await request(reg.app).post(`/certifications/${fx.certification}/review`).set('Cookie', ose.cookie).type('form').send(await approvalForm(ose.csrf));
    expect(res.status).toBe(403);
    expect(res.text).toContain('cannot review it');
    expect((await readCertification(reg.deps, fx.certification)).reviews).toHaveLength(0);
  });

  it('a forged or missing CSRF token is 403 and stores no review', async () => {
    const rita = await signIn(reg.app, 'rita');
    const form = await approvalForm(rita.csrf);
    const forged = await request(reg.app).post(`/certifications/${fx.certification}/review`).set('Cookie', rita.cookie).type('form').send({ ...form, _csrf: 'x'.repeat(43) });
    expect(forged.status).toBe(403);
    const { _csrf, ...missing } = form;
    const none = await request(reg.app).post(`/certifications/${fx.certification}/review`).set('Cookie', rita.cookie).type('form').send(missing);
    expect(none.status).toBe(403);
    // Another session's token does not work either: tokens are tied to their session.
    const raul = await signIn(reg.app, 'raul');
    const crossed = await request(reg.app).post(`/certifications/${fx.certification}/review`).set('Cookie', rita.cookie).type('form').send({ ...form, _csrf: raul.csrf });
    expect(crossed.status).toBe(403);
    expect((await readCertification(reg.deps, fx.certification)).reviews).toHaveLength(0);
  });

  it('an incomplete review is the form again with what is missing', async () => {
    const rita = await signIn(reg.app, 'rita');
    const res = await request(reg.app).post(`/certifications/${fx.certification}/review`).set('Cookie', rita.cookie).type('form').send({ _csrf: rita.csrf, decision: 'approve' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('missing required checklist item(s)');
    expect(res.text).toContain('Submit review');
    expect((await readCertification(reg.deps, fx.certification)).reviews).toHaveLength(0);
  });

  it('a reviewer\'s review is recorded by the certification service', async () => {
    const rita = await signIn(reg.app, 'rita');
    const res = await request(reg.app).post(`/certifications/${fx.certification}/review`).set('Cookie', rita.cookie).type('form').send(await approvalForm(rita.csrf));
    expect(res.status).toBe(303);
    const cert = await readCertification(reg.deps, fx.certification);
    expect(cert.reviews).toMatchObject([{ reviewer: 'rita', decision: 'approve', maturity: { technology: 'OTRL-5' } }]);
    expect(cert.approvals).toBe(1);
    const page = await request(reg.app).get(res.headers.location!).set('Cookie', rita.cookie);
    expect(page.text).toContain('Your review was recorded.');
    expect(page.text).toContain('you have already reviewed it in this round');
  });

  it('a second approval reaches the quorum: the certificate page and ODRL-3* on the certified version', async () => {
    const raul = await signIn(reg.app, 'raul');
    const res = await request(reg.app).post(`/certifications/${fx.certification}/review`).set('Cookie', raul.cookie).type('form').send(await approvalForm(raul.csrf));
    expect(res.status).toBe(303);
    const cert = await readCertification(reg.deps, fx.certification);
    expect(cert.state).toBe('certified');
    const uid = cert.certificate!.uid;
    const page = await request(reg.app).get(`/certificates/${uid}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`src="/api/v1/certificates/${uid}/badge.svg"`);
    expect(page.text).toContain(`ohw certify verify ${uid}`);
    expect(page.text).toContain(cert.checksum);
    const design = await request(reg.app).get(`/designs/${CEB}/v/${fx.cebVersion}`);
    expect(design.text).toContain('ODRL-3* (certified)');
    expect(design.text).toContain(`href="/certificates/${uid}"`);
  });
});

describe('owner forms', () => {
  it('an owner yanks and un-yanks from the design page; a forged yank stores nothing', async () => {
    const ose = await signIn(reg.app, 'ose');
    const page = await request(reg.app).get('/designs/ose/power-cube').set('Cookie', ose.cookie);
    expect(page.text).toContain('Owner actions');
    const version = (await readDesign(reg.deps, 'ose/power-cube')).latest!;
    const forged = await request(reg.app).post(`/designs/ose/power-cube/v/${version}/yank`).set('Cookie', ose.cookie).type('form').send({ _csrf: 'nope', reason: 'x' });
    expect(forged.status).toBe(403);
    expect((await readDesign(reg.deps, 'ose/power-cube')).versions.find((v) => v.version === version)!.yanked).toBe(false);

    const yank = await request(reg.app).post(`/designs/ose/power-cube/v/${version}/yank`).set('Cookie', ose.cookie).type('form').send({ _csrf: ose.csrf, reason: 'hose rating too low' });
    expect(yank.status).toBe(303);
    const read = await readDesign(reg.deps, 'ose/power-cube');
    expect(read.versions.find((v) => v.version === version)!.yank).toMatchObject({ by: 'ose', reason: 'hose rating too low' });
    const shown = await request(reg.app).get(`/designs/ose/power-cube/v/${version}`);
    expect(shown.text).toContain('yanked: hose rating too low');

    const unyank = await request(reg.app).post(`/designs/ose/power-cube/v/${version}/unyank`).set('Cookie', ose.cookie).type('form').send({ _csrf: ose.csrf });
    expect(unyank.status).toBe(303);
    expect((await readDesign(reg.deps, 'ose/power-cube')).versions.find((v) => v.version === version)!.yanked).toBe(false);
  });

  it('someone else sees no owner forms, and a post from them is refused by the service', async () => {
    const rita = await signIn(reg.app, 'rita');
    const page = await request(reg.app).get('/designs/ose/power-cube').set('Cookie', rita.cookie);
    expect(page.text).not.toContain('Owner actions');
    const version = (await readDesign(reg.deps, 'ose/power-cube')).latest!;
    const res = await request(reg.app).post(`/designs/ose/power-cube/v/${version}/yank`).set('Cookie', rita.cookie).type('form').send({ _csrf: rita.csrf });
    expect(res.status).toBe(403);
    expect((await readDesign(reg.deps, 'ose/power-cube')).versions.find((v) => v.version === version)!.yanked).toBe(false);
  });

  it('an owner requests certification from the design page', async () => {
    const ose = await signIn(reg.app, 'ose');
    const version = (await readDesign(reg.deps, 'ose/power-cube')).latest!;
    const res = await request(reg.app).post(`/designs/ose/power-cube/v/${version}/certify`).set('Cookie', ose.cookie).type('form').send({ _csrf: ose.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/certifications\/CR-\d+$/);
    const cert = await readCertification(reg.deps, res.headers.location!.split('/').at(-1)!);
    expect(cert).toMatchObject({ package: 'ose/power-cube', version });
  });
});

describe('throttling', () => {
  it('sign-in attempts are throttled like the API: past the limit the form says so with 429', async () => {
    const strict = await makeRegistry({ rateLimits: { authPerAddressPerMinute: 3 } });
    try {
      const form = await request(strict.app).get('/login');
      const attempt = (i: number) => request(strict.app).post('/login').set('Cookie', cookiesOf(form)).type('form')
        .send({ _csrf: csrfIn(form.text), name: 'nobody', password: `guess ${i}` });
      for (let i = 0; i < 3; i++) expect((await attempt(i)).status).toBe(401);
      const refused = await attempt(3);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.text).toContain('Too many sign-in attempts');
      expect(refused.text).toContain('action="/login"');
      // The API's log-in shares the counter: the same address is refused there too.
      expect((await request(strict.app).post('/api/v1/tokens').send({ name: 'nobody', password: 'guess' })).status).toBe(429);
    } finally {
      await strict.cleanup();
    }
  });
});
