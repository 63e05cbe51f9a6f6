import { expect } from 'vitest';
import { OhwError, type ErrorCode } from '../../schema/errors.ts';

function check(caught: unknown, code: ErrorCode, message: string | RegExp): OhwError {
  expect(caught, 'expected a refusal').toBeInstanceOf(OhwError);
  const err = caught as OhwError;
  expect(err.code).toBe(code);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
  return err;
}

/** Runs fn; expects an OhwError with this code and exactly this message (or matching it). */
export function refusal(fn: () => unknown, code: ErrorCode, message: string | RegExp): OhwError {
  try {
    fn();
  } catch (e) {
    return check(e, code, message);
  }
  return check(undefined, code, message);
}

/** The same for a promise. */
export async function refusalOf(p: Promise<unknown>, code: ErrorCode, message: string | RegExp): Promise<OhwError> {
  try {
    await p;
  } catch (e) {
    return check(e, code, message);
  }
  return check(undefined, code, message);
}
