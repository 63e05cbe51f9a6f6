/**
 * The one error type of the project. `code` is the machine-readable contract (SPEC §3);
 * the HTTP layer maps it to a status in one table, the CLI maps it to an exit code in one table.
 */
export type ErrorCode =
  | 'INVALID_MANIFEST'
  | 'INVALID_ARCHIVE'
  | 'INVALID_REQUEST'
  | 'VERSION_EXISTS'
  | 'NAME_TAKEN'
  | 'NAME_TOO_SIMILAR'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'TOO_LARGE'
  /** An upload of a type the route does not take (e.g. a build photo that is not png/jpeg/webp). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'SEARCH_UNAVAILABLE'
  /** Stored data failed its integrity check; the message names the design. */
  | 'INTEGRITY'
  /** The disk is full or read-only: nothing was stored. */
  | 'INSUFFICIENT_STORAGE'
  | 'INTERNAL';

/** A located problem in a design: what is wrong and exactly where. */
export interface Issue {
  /** File the issue is in, relative to the package root (e.g. `design.yaml`, `bom.csv`). */
  file: string;
  /** Dotted field path, e.g. `bom[3].quantity` or `license.hardware`; `` for the document. */
  path: string;
  /** 1-based line and column; 0 when the issue is not tied to a position (e.g. a missing file). */
  line: number;
  column: number;
  /** Stable machine-readable code, e.g. `unknown-field`, `spdx-unknown`. */
  code: string;
  message: string;
  /** `error` blocks validation; `warning` is reported but does not fail. */
  severity: 'error' | 'warning';
}

export class OhwError extends Error {
  readonly code: ErrorCode;
  readonly issues?: Issue[];
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: { issues?: Issue[]; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'OhwError';
    this.code = code;
    if (opts.issues) this.issues = opts.issues;
    if (opts.details) this.details = opts.details;
  }
}

export const isOhwError = (e: unknown): e is OhwError => e instanceof OhwError;

/** `design.yaml:12:5 license.hardware: unknown SPDX id …` — the one human format of an issue. */
export function formatIssue(i: Issue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  const field = i.path ? ` ${i.path}:` : '';
  const sev = i.severity === 'warning' ? ' warning:' : '';
  return `${where}${sev}${field} ${i.message}`;
}
