import path from 'node:path';
import express, { Router, type Express } from 'express';
import { OhwError } from '../../schema/errors.ts';
import type { Deps } from '../services/deps.ts';
import { authenticate } from './auth.ts';
import { errorHandler } from './errors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { designRoutes } from './routes/designs.ts';
import { searchRoutes } from './routes/search.ts';
import { healthRoute } from './routes/health.ts';
import { extraRoutes } from './routes/index.ts';
import { gitRouter } from './git-bridge.ts';
import { webSite } from '../web/site.tsx';
import { JSON_BODY_MAX_BYTES, refuseDeclaredJsonOver } from './upload.ts';

export interface AppOptions {
  /**
   * Express `trust proxy` (config `OHW_TRUST_PROXY`): off by default, so `req.ip` is the socket's
   * address and a client cannot pick its own rate-limit key with X-Forwarded-For.
   */
  trustProxy?: boolean | number | string;
}

/** The HTTP adapter: routes parse, call a service, map the result. No listen here. */
export function createApp(deps: Deps, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  app.set('query parser', 'extended');
  app.set('trust proxy', opts.trustProxy ?? false);

  app.use('/git', gitRouter(deps)); // read-only git smart HTTP, raw responses: outside the JSON API

  const api = Router();
  api.use(refuseDeclaredJsonOver(JSON_BODY_MAX_BYTES)); // 413 before reading, not after draining
  api.use(express.json({ limit: JSON_BODY_MAX_BYTES }));
  api.use(authenticate(deps));
  api.use(healthRoute(deps));
  api.use(accountRoutes(deps));
  api.use(designRoutes(deps));
  api.use(searchRoutes(deps));
  for (const routes of extraRoutes(deps)) api.use(routes);
  app.use('/api/v1', api);
  app.use(webSite(deps)); // HTML pages (SPEC §7); /api/v1 and /git fall through to the JSON 404

  app.use((req, _res, next) => next(new OhwError('NOT_FOUND', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log, { redact: [path.dirname(deps.db.file)] }));
  return app;
}
