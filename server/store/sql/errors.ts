/** How SQLite's failures read to the rest of the registry. */
import { OhwError } from '../../../schema/errors.ts';

const codeOf = (e: unknown): string | undefined => (e as { code?: unknown })?.code as string | undefined;

export function isUniqueViolation(e: unknown): boolean {
  const c = codeOf(e);
  return c === 'SQLITE_CONSTRAINT_PRIMARYKEY' || c === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * A full disk or a read-only file system, from SQLite or from the file system: the request
 * answers 507 with the reason; the transaction that failed left nothing behind.
 */
export function storageFailure(e: unknown): OhwError | undefined {
  const c = codeOf(e);
  if (c === 'SQLITE_FULL' || c === 'ENOSPC' || c === 'EDQUOT') {
    return new OhwError('INSUFFICIENT_STORAGE', 'the registry has run out of storage space; nothing was stored. Try again later');
  }
  if (c === 'SQLITE_READONLY' || c === 'EROFS') {
    return new OhwError('INSUFFICIENT_STORAGE', 'the registry storage is read-only at the moment; nothing was stored. Try again later');
  }
  return undefined;
}
