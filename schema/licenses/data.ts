/**
 * The licence policy data (`schema/licenses.data.json`) and the SPDX id tables, indexed once:
 * canonical spelling by lower case, families, allowlists, NonCommercial/NoDerivatives/share-alike
 * tests. Everything else in schema/licenses/ reads these. Pure.
 */
import spdxIdList from 'spdx-license-ids/index.json' with { type: 'json' };
import spdxDeprecatedList from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import spdxExceptionList from 'spdx-exceptions/index.json' with { type: 'json' };
import spdxDeprecatedExceptionList from 'spdx-exceptions/deprecated.json' with { type: 'json' };
import rawData from '../licenses.data.json' with { type: 'json' };

export type LicenseRole = 'hardware' | 'documentation' | 'software';
export interface LicenseFinding { code: string; message: string; severity: 'error' | 'warning' }
export type LicenseFamily = 'public-domain' | 'permissive' | 'weakly-reciprocal' | 'strongly-reciprocal' | 'unknown';

/** Every finding code `checkLicense` can return, with its severity. */
export const LICENSE_FINDING_CODES = {
  /** The expression cannot be read (bad character, missing operator, unbalanced parenthesis…). */
  'spdx-syntax': 'error',
  /** Longer than MAX_LICENSE_EXPRESSION_LENGTH characters or MAX_LICENSE_OPERATORS operators: not read at all. */
  'spdx-too-long': 'error',
  /** Not an SPDX licence or exception id; the message suggests the closest id. */
  'spdx-unknown': 'error',
  /** Deprecated SPDX id; the message names the replacement. */
  'spdx-deprecated': 'error',
  /** Right id, wrong case: accepted, the message names the canonical spelling. */
  'spdx-case': 'warning',
  /** NonCommercial licence: error for hardware/documentation, warning for software. */
  'license-nc': 'error',
  /** NoDerivatives licence: error for hardware/documentation, warning for software. */
  'license-nd': 'error',
  /** Valid SPDX id not on the role's allowlist: error for hardware/documentation, warning for software. */
  'license-not-open': 'error',
  /** `LicenseRef-*`: accepted, flagged for reviewer attention. */
  'license-ref': 'warning',
  /** `NONE` used for hardware or documentation. */
  'license-none': 'error',
  /** `NOASSERTION` (any role). */
  'license-noassertion': 'error',
} as const satisfies Record<string, 'error' | 'warning'>;
export type LicenseFindingCode = keyof typeof LICENSE_FINDING_CODES;

/** Shape of `licenses.data.json`. */
export interface LicenseData {
  $comment: string | string[];
  version: string;
  reasons: {
    nonCommercial: string; noDerivatives: string; notOpen: string; notOpenSoftware: string;
    licenseRef: string; none: string; noassertion: string; softwareNote: string;
  };
  restrictions: {
    nonCommercial: { pattern: string; ids: string[] };
    noDerivatives: { pattern: string; ids: string[] };
    shareAlike: { pattern: string };
  };
  notOpen: Record<string, string>;
  allowlist: Record<LicenseRole, string[]>;
  families: Record<Exclude<LicenseFamily, 'unknown'>, string[]>;
  deprecatedReplacements: Record<string, string[]>;
  forkRules: Record<string, string[]>;
}

/** The policy data, as loaded (read-only by convention). */
export const LICENSE_DATA: LicenseData = rawData as LicenseData;

// ───────────────────────────────────────────────────────────────────────────── id tables

export const LICENSE_IDS: readonly string[] = spdxIdList as string[];
const DEPRECATED_IDS: readonly string[] = spdxDeprecatedList as string[];
export const EXCEPTION_IDS: readonly string[] = spdxExceptionList as string[];
const DEPRECATED_EXCEPTION_IDS: readonly string[] = spdxDeprecatedExceptionList as string[];

interface IdEntry { id: string; deprecated: boolean }
const lowerMap = (current: readonly string[], deprecated: readonly string[]): Map<string, IdEntry> => {
  const m = new Map<string, IdEntry>();
  for (const id of deprecated) m.set(id.toLowerCase(), { id, deprecated: true });
  for (const id of current) m.set(id.toLowerCase(), { id, deprecated: false });
  return m;
};
export const LICENSE_BY_LOWER = lowerMap(LICENSE_IDS, DEPRECATED_IDS);
export const EXCEPTION_BY_LOWER = lowerMap(EXCEPTION_IDS, DEPRECATED_EXCEPTION_IDS);

const FAMILY_OF = new Map<string, Exclude<LicenseFamily, 'unknown'>>();
for (const [family, ids] of Object.entries(LICENSE_DATA.families) as [Exclude<LicenseFamily, 'unknown'>, string[]][]) {
  for (const id of ids) FAMILY_OF.set(id, family);
}
export const ALLOWED: Record<LicenseRole, ReadonlySet<string>> = {
  hardware: new Set(LICENSE_DATA.allowlist.hardware),
  documentation: new Set(LICENSE_DATA.allowlist.documentation),
  software: new Set(LICENSE_DATA.allowlist.software),
};
const NC_RE = new RegExp(LICENSE_DATA.restrictions.nonCommercial.pattern);
const ND_RE = new RegExp(LICENSE_DATA.restrictions.noDerivatives.pattern);
const SA_RE = new RegExp(LICENSE_DATA.restrictions.shareAlike.pattern);
const NC_IDS = new Set(LICENSE_DATA.restrictions.nonCommercial.ids);
const ND_IDS = new Set(LICENSE_DATA.restrictions.noDerivatives.ids);

export const isNonCommercial = (id: string): boolean => NC_RE.test(id) || NC_IDS.has(id);
export const isNoDerivatives = (id: string): boolean => ND_RE.test(id) || ND_IDS.has(id);
export const familyOfId = (id: string): LicenseFamily => FAMILY_OF.get(id) ?? 'unknown';
export const isReciprocalId = (id: string): boolean => {
  const f = familyOfId(id);
  return f === 'weakly-reciprocal' || f === 'strongly-reciprocal' || SA_RE.test(id) || id in LICENSE_DATA.forkRules;
};
