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
  // Libraries that wrap the driver (the rate limiter's SQLite store) keep SQLite's words but may
  // drop its code: look through causes and at the message too.
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const found = classify(codeOf(cur) ?? codeFromMessage((cur as Error).message));
    if (found) return found;
  }
  return undefined;
}

function codeFromMessage(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  if (/database or disk is full|SQLITE_FULL|ENOSPC|no space left on device/i.test(message)) return 'SQLITE_FULL';
  if (/attempt to write a readonly database|SQLITE_READONLY|EROFS|read-only file system/i.test(message)) return 'SQLITE_READONLY';
  return undefined;
}

function classify(c: string | undefined): OhwError | undefined {
  if (c === 'SQLITE_FULL' || c === 'ENOSPC' || c === 'EDQUOT') {
    return new OhwError('INSUFFICIENT_STORAGE', 'the registry has run out of storage space; nothing was stored. Try again later');
  }
  if (c === 'SQLITE_READONLY' || c === 'EROFS') {
    return new OhwError('INSUFFICIENT_STORAGE', 'the registry storage is read-only at the moment; nothing was stored. Try again later');
  }
  return undefined;
}
