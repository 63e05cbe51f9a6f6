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
import { JSON_BODY_MAX_BYTES, refuseDeclaredJsonOver } from './upload.ts';

export interface AppOptions {
  /** Register/log-in attempts per client address per minute. */
  authAttemptsPerMinute?: number;
}

/** The HTTP adapter: routes parse, call a service, map the result. No listen here. */
export function createApp(deps: Deps, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  app.set('query parser', 'extended');

  app.use('/git', gitRouter(deps)); // read-only git smart HTTP, raw responses: outside the JSON API

  const api = Router();
  api.use(refuseDeclaredJsonOver(JSON_BODY_MAX_BYTES)); // 413 before reading, not after draining
  api.use(express.json({ limit: JSON_BODY_MAX_BYTES }));
  api.use(authenticate(deps));
  api.use(healthRoute(deps));
  api.use(accountRoutes(deps, { authAttemptsPerMinute: opts.authAttemptsPerMinute ?? 30 }));
  api.use(designRoutes(deps));
  api.use(searchRoutes(deps));
  for (const routes of extraRoutes(deps)) api.use(routes);
  app.use('/api/v1', api);

  app.use((req, _res, next) => next(new OhwError('NOT_FOUND', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log));
  return app;
}
