import { randomUUID } from 'node:crypto';
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

/**
 * Details that are for the operator's log, never for the client: what git said when a ref
 * update lost a race, file system paths, engine hosts.
 */
const PRIVATE_DETAILS = new Set(['git', 'path', 'gitdir', 'host', 'url', 'stack', 'cause']);

export interface ErrorHandlerOptions {
  /** Absolute paths a message must never show (the data dir): replaced by `<data>`. */
  redact?: string[];
}

function redactText(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('<data>');
  return out;
}

/**
 * The one error → response mapping. A known refusal answers with its code and message; anything
 * else (and every INTERNAL) is logged in full under a request id and answered with a generic
 * message and that id only: no stack, server path, git message or search host reaches a client.
 */
export function errorHandler(log: (line: string) => void, opts: ErrorHandlerOptions = {}) {
  const secrets = (opts.redact ?? []).filter((s) => s.length > 1).sort((a, b) => b.length - a.length);
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = err instanceof OhwError ? err : fromBodyParser(err as { type?: string }) ?? storageFailure(err);
    if (!known || known.code === 'INTERNAL') {
      const requestId = randomUUID();
      const detail = known ? `${known.message}${known.details ? ` ${JSON.stringify(known.details)}` : ''}\n${known.stack ?? ''}` : (err as Error)?.stack ?? String(err);
      log(`internal error ${requestId} on ${req.method} ${req.originalUrl}: ${detail}`);
      if (res.headersSent) return void res.destroy();
      res.status(500).set('X-Request-Id', requestId).json({ error: { code: 'INTERNAL', message: `internal server error (request id ${requestId})`, requestId } });
      return;
    }
    if (res.headersSent) return void res.destroy();
    const body: { error: Record<string, unknown> } = { error: { code: known.code, message: redactText(known.message, secrets) } };
    if (known.issues) body.error.issues = known.issues;
    if (known.details) {
      const hidden = Object.keys(known.details).filter((k) => PRIVATE_DETAILS.has(k));
      if (hidden.length) log(`${known.code} on ${req.method} ${req.originalUrl}: ${JSON.stringify(Object.fromEntries(hidden.map((k) => [k, known.details![k]])))}`);
      const shown = Object.fromEntries(Object.entries(known.details).filter(([k]) => !PRIVATE_DETAILS.has(k)));
      if (Object.keys(shown).length) body.error.details = shown;
    }
    if (known.code === 'RATE_LIMITED' && typeof known.details?.retryAfter === 'number') res.set('Retry-After', String(known.details.retryAfter));
    res.status(STATUS_OF[known.code]).json(body);
  };
}
