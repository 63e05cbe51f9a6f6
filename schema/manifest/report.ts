import type { Issue } from '../errors.ts';
import { formatPath, type FieldPath } from './field-path.ts';

export interface Location { file: string; line: number; column: number }

/**
 * Where a field is written. Falls back to the nearest ancestor that exists, which is exactly
 * what a "missing field" issue wants (the mapping that should contain it).
 */
export interface Locator {
  /** `key`: the key naming the field (for unknown fields); `value` (default): the value. */
  locate(path: FieldPath, at?: 'key' | 'value'): Location;
}

export interface ReportOptions {
  at?: 'key' | 'value';
  severity?: Issue['severity'];
}

/** Collects issues, locating each one as it is added. */
export class Reporter {
  readonly issues: Issue[] = [];
  constructor(readonly locator: Locator) {}

  add(path: FieldPath, code: string, message: string, opts: ReportOptions = {}): void {
    const where = this.locator.locate(path, opts.at ?? 'value');
    this.issues.push({ ...where, path: formatPath(path), code, message, severity: opts.severity ?? 'error' });
  }

  line(path: FieldPath): number {
    return this.locator.locate(path).line;
  }
}

/** An issue about a whole file (too big, unreadable, missing): no position inside it. */
export function fileIssue(file: string, code: string, message: string, path = ''): Issue {
  return { file, path, line: 0, column: 0, code, message, severity: 'error' };
}
