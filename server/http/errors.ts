import type { NextFunction, Request, Response } from 'express';
import { OhwError } from '../../schema/errors.ts';
import { STATUS_OF } from './error-table.ts';
import { storageFailure } from '../store/sql/errors.ts';

/** Express body-parser errors carry a `type`; translate the ones a client can cause. */
function fromBodyParser(err: { type?: string; limit?: number }): OhwError | undefined {
  if (err.type === 'entity.parse.failed') return new OhwError('INVALID_REQUEST', 'the request body is not valid JSON');
  if (err.type === 'entity.too.large') return new OhwError('TOO_LARGE', `the JSON body is larger than ${err.limit} bytes`);
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') return new OhwError('INVALID_REQUEST', 'unsupported body encoding');
  return undefined;
}

/** The one error → response mapping. Never leaks stacks or server paths. */
export function errorHandler(log: (line: string) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = err instanceof OhwError ? err : fromBodyParser(err as { type?: string }) ?? storageFailure(err);
    if (!known) {
      log(`internal error on ${req.method} ${req.originalUrl}: ${(err as Error)?.stack ?? String(err)}`);
    }
    const e = known ?? new OhwError('INTERNAL', 'internal server error');
    if (res.headersSent) return void res.destroy();
    const body: { error: Record<string, unknown> } = { error: { code: e.code, message: e.message } };
    if (e.issues) body.error.issues = e.issues;
    if (e.details) body.error.details = e.details;
    if (e.code === 'RATE_LIMITED' && typeof e.details?.retryAfter === 'number') res.set('Retry-After', String(e.details.retryAfter));
    res.status(STATUS_OF[e.code]).json(body);
  };
}
