/**
 * Licence findings for `license.*`, from `schema/licenses.ts` (the SPDX and OSHWA rules live
 * there, with their data file). Each finding becomes an issue at `license.<role>`. A licence
 * written as a known free-text name (`CERN OHL v1.2`) gets its SPDX id named, from the same
 * alias table `ohw import` uses (`schema/license-aliases.data.json`).
 */
import { spdxForAlias } from '../license-aliases.ts';
import { checkLicense, type LicenseRole } from '../licenses.ts';
import type { Reporter } from './report.ts';

const ROLES: readonly LicenseRole[] = ['hardware', 'documentation', 'software'];

export function checkLicenses(license: unknown, report: Reporter): void {
  if (license === null || typeof license !== 'object') return;
  for (const role of ROLES) {
    const expr = (license as Record<string, unknown>)[role];
    if (typeof expr !== 'string' || expr === '') continue;
    for (const f of checkLicense(expr, role)) {
      const alias = f.code === 'spdx-syntax' || f.code === 'spdx-unknown' ? spdxForAlias(expr) : undefined;
      const message = alias ? `${f.message}; "${expr}" is written "${alias}" in SPDX` : f.message;
      report.add(['license', role], f.code, message, { severity: f.severity });
    }
  }
}
