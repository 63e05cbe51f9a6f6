/**
 * Licence findings for `license.*`, from `schema/licenses.ts` (the SPDX and OSHWA rules live
 * there, with their data file). Each finding becomes an issue at `license.<role>`.
 */
import { checkLicense, type LicenseRole } from '../licenses.ts';
import type { Reporter } from './report.ts';

const ROLES: readonly LicenseRole[] = ['hardware', 'documentation', 'software'];

export function checkLicenses(license: unknown, report: Reporter): void {
  if (license === null || typeof license !== 'object') return;
  for (const role of ROLES) {
    const expr = (license as Record<string, unknown>)[role];
    if (typeof expr !== 'string' || expr === '') continue;
    for (const f of checkLicense(expr, role)) report.add(['license', role], f.code, f.message, { severity: f.severity });
  }
}
