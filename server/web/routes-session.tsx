/** @jsxImportSource preact */
/** Sign-in, the reviewer's desk and owners' forms. Every POST here has passed the CSRF check (site.tsx). */
import { Router, type Request, type Response } from 'express';
import { OhwError } from '../../schema/errors.ts';
import { CHECKLIST } from '../../schema/certification/checklist.ts';
import type { Actor, Deps } from '../services/deps.ts';
import { readCertification, requestCertification, reviewCertification } from '../services/certification.ts';
import { reviewBlocker, reviewQueue } from '../services/review-queue.ts';
import { setYanked } from '../services/yank-version.ts';
import { STATUS_OF } from '../http/error-table.ts';
import { sendPage, viewerOf } from './render.ts';
import { loginCsrfToken, signIn as startSession, signOut } from './session.ts';
import { signIn as checkPassword } from '../services/accounts.ts';
import { clientAddress } from '../http/rate-limit.ts';
import { LoginPage } from './pages/account.tsx';
import { CertificationPage, ReviewsPage } from './pages/certificates.tsx';

/** Only a path on this site: never `//host` or a scheme (an open redirect after sign-in). */
const safeNext = (v: unknown): string | undefined =>
  typeof v === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(v) ? v : undefined;

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

function requireViewer(req: Request): Actor {
  if (!req.webUser) throw new OhwError('UNAUTHENTICATED', 'sign in first');
  return req.webUser.actor;
}

/** The review form's flat fields → the review body the API takes (`parseReview` checks it). */
export function reviewBodyOf(form: Record<string, unknown>): Record<string, unknown> {
  const text = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
  const checklist: Record<string, { result: string; comment?: string }> = {};
  for (const item of CHECKLIST) {
    const result = text(`check.${item.id}`);
    if (!result) continue;
    const comment = text(`comment.${item.id}`);
    checklist[item.id] = comment ? { result, comment } : { result };
  }
  const body: Record<string, unknown> = { checklist };
  if (text('decision')) body.decision = text('decision');
  const maturity: Record<string, string> = {};
  if (text('maturity.technology')) maturity.technology = text('maturity.technology');
  if (text('maturity.documentation')) maturity.documentation = text('maturity.documentation');
  if (Object.keys(maturity).length) body.maturity = maturity;
  if (text('comment')) body.comment = text('comment');
  return body;
}

export function sessionPages(deps: Deps): Router {
  const r = Router();

  r.get('/login', (req, res) => {
    const next = safeNext(req.query.next);
    sendPage(res, 200, <LoginPage viewer={viewerOf(req)} csrf={loginCsrfToken(req, res)} {...(next ? { next } : {})} />);
  });

  r.post('/login', async (req, res) => {
    const name = field(req, 'name').trim().toLowerCase();
    const next = safeNext(field(req, 'next'));
    const again = (status: number, error: string) => sendPage(res, status, (
      <LoginPage viewer={viewerOf(req)} csrf={loginCsrfToken(req, res)} name={name} error={error} {...(next ? { next } : {})} />
    ));
    if (!name || !field(req, 'password')) return again(400, 'Give your account name and password.');
    let account;
    try {
      // The one sign-in check (services/accounts.ts), throttled per address and per account like POST /api/v1/tokens.
      account = await checkPassword(deps, { name, password: field(req, 'password'), address: clientAddress(req) });
    } catch (e) {
      if (!(e instanceof OhwError) || !['UNAUTHENTICATED', 'RATE_LIMITED'].includes(e.code)) throw e;
      const retry = e.details?.retryAfter;
      if (typeof retry === 'number') res.set('Retry-After', String(retry));
      return again(STATUS_OF[e.code], e.code === 'RATE_LIMITED' ? `Too many sign-in attempts: ${e.message}.` : 'Wrong account name or password.');
    }
    await startSession(deps, req, res, account.name);
    res.redirect(303, next ?? `/accounts/${account.name}`);
  });

  r.post('/logout', async (req, res) => {
    await signOut(deps, req, res);
    res.redirect(303, '/');
  });

  r.get('/reviews', async (req, res) => {
    if (!req.webUser) return res.redirect(303, '/login?next=/reviews');
    const viewer = viewerOf(req)!;
    if (!req.webUser.actor.roles.includes('reviewer')) throw new OhwError('FORBIDDEN', 'the review queue is for reviewers; an admin grants the role');
    sendPage(res, 200, <ReviewsPage viewer={viewer} queue={await reviewQueue(deps, req.webUser.actor)} />);
  });

  const certificationPage = async (req: Request, res: Response, status: number, extra: { error?: string; done?: boolean } = {}) => {
    const cert = await readCertification(deps, String(req.params.id));
    const blocker = req.webUser ? reviewBlocker(cert, req.webUser.actor) : undefined;
    sendPage(res, status, <CertificationPage viewer={viewerOf(req)} cert={cert} {...(blocker ? { blocker } : {})} {...extra} />);
  };
  r.get('/certifications/:id', (req, res) => certificationPage(req, res, 200, req.query.done === '1' ? { done: true } : {}));

  // The same service as POST /api/v1/certifications/:id/reviews: quorum and conflict rules unchanged.
  r.post('/certifications/:id/review', async (req, res) => {
    const actor = requireViewer(req);
    try {
      await reviewCertification(deps, actor, req.params.id!, reviewBodyOf(req.body ?? {}));
    } catch (e) {
      if (!(e instanceof OhwError) || e.code === 'NOT_FOUND' || STATUS_OF[e.code] >= 500) throw e;
      return certificationPage(req, res, STATUS_OF[e.code], { error: e.message });
    }
    res.redirect(303, `/certifications/${encodeURIComponent(req.params.id!)}?done=1`);
  });

  const versionPath = (req: Request) => `/designs/${req.params.owner}/${req.params.name}/v/${req.params.version}`;

  r.post('/designs/:owner/:name/v/:version/certify', async (req, res) => {
    const c = await requestCertification(deps, requireViewer(req), { package: `${req.params.owner}/${req.params.name}`, version: req.params.version! });
    res.redirect(303, `/certifications/${c.id}`);
  });
  r.post('/designs/:owner/:name/v/:version/yank', async (req, res) => {
    const input: Parameters<typeof setYanked>[1] = { pkg: `${req.params.owner}/${req.params.name}`, version: req.params.version!, actor: requireViewer(req), yanked: true };
    const reason = field(req, 'reason').trim();
    if (reason) input.reason = reason;
    await setYanked(deps, input);
    res.redirect(303, versionPath(req));
  });
  r.post('/designs/:owner/:name/v/:version/unyank', async (req, res) => {
    await setYanked(deps, { pkg: `${req.params.owner}/${req.params.name}`, version: req.params.version!, actor: requireViewer(req), yanked: false });
    res.redirect(303, versionPath(req));
  });

  return r;
}
