/** @jsxImportSource preact */
/**
 * The web site (SPEC §7): server-rendered pages on the same Express app, over the same services
 * as the JSON API. Mounted after /api/v1 and /git; anything under those that reaches here falls
 * through to the JSON 404, everything else unknown gets the HTML 404 page.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { OhwError } from '../../schema/errors.ts';
import type { Deps } from '../services/deps.ts';
import { STATUS_OF } from '../http/error-table.ts';
import { storageFailure } from '../store/sql/errors.ts';
import { securityHeaders } from './headers.ts';
import { csrfOk, loadSession } from './session.ts';
import { sendPage, viewerOf } from './render.ts';
import { publicPages } from './routes-public.tsx';
import { sessionPages } from './routes-session.tsx';
import { ErrorPage } from './pages/error.tsx';

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
/** Form bodies are small (the review form is the largest); more is refused before parsing. */
const FORM_BODY_MAX_BYTES = 64 * 1024;

const isApiPath = (p: string) => p === '/api/v1' || p.startsWith('/api/v1/') || p === '/git' || p.startsWith('/git/');

export function webSite(deps: Deps): Router {
  const site = Router();
  site.use((req, _res, next) => (isApiPath(req.path) ? next('router') : next()));
  site.use(securityHeaders);
  site.use('/assets', express.static(ASSETS, { index: false, fallthrough: false, maxAge: '1h' }));
  site.use(loadSession(deps));
  site.use(express.urlencoded({ extended: false, limit: FORM_BODY_MAX_BYTES, parameterLimit: 200 }));
  // Every POST carries the synchronizer token of its session (or, for sign-in, of the login cookie).
  site.use((req, _res, next) => {
    if (req.method !== 'POST') return next();
    if (csrfOk(req, req.path === '/login' ? 'login' : 'session')) return next();
    next(new OhwError('FORBIDDEN', 'this form could not be accepted: its security token is missing or does not match your session. Reload the page and try again'));
  });
  site.use(publicPages(deps));
  site.use(sessionPages(deps));
  site.use((req, _res, next) => next(new OhwError('NOT_FOUND', `there is no page at ${req.path}`)));
  site.use(webErrorHandler(deps));
  return site;
}

/** Errors as pages, with the status the API would give; internals are logged, never shown. */
function webErrorHandler(deps: Deps) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const static404 = (err as { status?: number; statusCode?: number })?.status === 404 || (err as { statusCode?: number })?.statusCode === 404;
    const bodyTooLarge = (err as { type?: string })?.type === 'entity.too.large';
    let known = err instanceof OhwError ? err : storageFailure(err);
    if (!known && static404) known = new OhwError('NOT_FOUND', `there is no file at ${req.path}`);
    if (!known && bodyTooLarge) known = new OhwError('TOO_LARGE', `the form is larger than ${FORM_BODY_MAX_BYTES} bytes`);
    let requestId: string | undefined;
    if (!known) {
      requestId = crypto.randomUUID();
      deps.log(`internal error ${requestId} on ${req.method} ${req.originalUrl}: ${(err as Error)?.stack ?? String(err)}`);
    }
    if (res.headersSent) return void res.destroy();
    const e = known ?? new OhwError('INTERNAL', 'the server could not show this page');
    if (e.code === 'UNAUTHENTICATED' && req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    sendPage(res, STATUS_OF[e.code], <ErrorPage status={STATUS_OF[e.code]} message={e.message} viewer={viewerOf(req)} {...(requestId ? { requestId } : {})} />);
  };
}
