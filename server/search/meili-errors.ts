/**
 * What a failure from Meilisearch means for the adapter. Each kind has its own handling:
 *   outage          unreachable, 5xx, 408/429: keep writes, retry later, searches answer 503;
 *   auth            401/403 (missing or wrong key): a configuration error, logged once, not retried
 *                   in a tight loop, shown in /health;
 *   index_not_found the index is gone (server restarted empty, operator deleted it): recreate it
 *                   with its settings and rebuild it from the registry;
 *   settings        a search refused because a field is not filterable/sortable: the settings in
 *                   force are not ours (e.g. an index created implicitly); re-apply them;
 *   refused         Meilisearch understood the request and refused it: a bug on our side, not
 *                   retried.
 * A task that takes longer than we wait for it is none of these: it is followed by its uid.
 */
import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError, type Task } from 'meilisearch';

export type FailureKind = 'outage' | 'auth' | 'index_not_found' | 'settings' | 'refused';

export class TaskFailedError extends Error {
  constructor(
    readonly what: string,
    readonly task: Task,
  ) {
    super(`Meilisearch task ${task.uid} (${what}) ${task.status}: ${task.error?.code ?? ''} ${task.error?.message ?? ''}`.trim());
    this.name = 'TaskFailedError';
  }
}

const SETTINGS_CODES = new Set(['invalid_search_filter', 'invalid_search_sort', 'invalid_search_facets']);

/** Meilisearch's error code (`index_not_found`, `invalid_api_key`, …) when there is one. */
export function errorCode(e: unknown): string | undefined {
  if (e instanceof TaskFailedError) return e.task.error?.code;
  if (e instanceof MeilisearchApiError) return (e.cause as { code?: string } | undefined)?.code;
  return undefined;
}

export function classify(e: unknown): FailureKind {
  const code = errorCode(e);
  if (code === 'index_not_found') return 'index_not_found';
  if (e instanceof TaskFailedError) return 'refused';
  if (e instanceof MeilisearchApiError) {
    const status = e.response.status;
    if (status === 401 || status === 403) return 'auth';
    if (status >= 500 || status === 408 || status === 429) return 'outage';
    if (code && SETTINGS_CODES.has(code) && /not (filterable|sortable)|rankingRules/.test(e.message)) return 'settings';
    return 'refused';
  }
  // MeilisearchRequestError (refused, reset, request timeout), non-JSON bodies from a proxy.
  return 'outage';
}

/** For logs and the admin-only health detail (may name the host). */
export const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export type Trouble =
  | { kind: 'outage'; error: string }
  | { kind: 'auth'; error: string; status: number }
  | { kind: 'refused'; error: string };

/** What a failure (not a lost index) means for health, and the operator log line (`once`: per episode). */
export function troubleOf(e: unknown, indexName: string): { trouble: Trouble; line: string; once: boolean } {
  const kind = classify(e);
  const error = describe(e);
  if (kind === 'auth') {
    const status = (e as { response?: { status?: number } }).response?.status ?? 0;
    const line = `search: configuration error: Meilisearch refused the API key (HTTP ${status} ${errorCode(e) ?? ''}); set MEILI_MASTER_KEY to a key that may manage index ${indexName}. Searches answer 503 until then.`;
    return { trouble: { kind: 'auth', error, status }, line, once: true };
  }
  if (kind === 'outage') {
    return { trouble: { kind: 'outage', error }, line: `search: Meilisearch unavailable (${error}); changes are kept and applied when it is back`, once: true };
  }
  return { trouble: { kind: 'refused', error }, line: `search: Meilisearch refused a request: ${error}`, once: false };
}

/** A request that took longer than requestTimeoutMs: that request failed, the server is not down. */
export function isRequestTimeout(e: unknown): boolean {
  return e instanceof MeilisearchRequestTimeOutError || (e instanceof MeilisearchRequestError && e.cause instanceof MeilisearchRequestTimeOutError);
}
