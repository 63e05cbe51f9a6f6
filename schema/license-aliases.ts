/**
 * Licence strings as other catalogues write them (`CERN OHL v1.2`, `TAPR`, `CC BY-SA 4.0`, `GPL`)
 * → SPDX, where the meaning is unambiguous; refused with the exact string otherwise. The table is
 * `license-aliases.data.json`; SPDX validity and the OSHWA policy stay in `licenses.ts`, which
 * judges the result like any manifest licence. Pure: no I/O.
 */
import rawAliases from './license-aliases.data.json' with { type: 'json' };
import { checkLicense, canonicalLicenseExpression, LICENSE_DATA, suggestLicenseIds } from './licenses.ts';

export interface LicenseAliasData {
  $comment: string[];
  version: string;
  aliases: Record<string, string>;
  ambiguous: Record<string, string[]>;
  notALicense: string[];
}

export const LICENSE_ALIAS_DATA = rawAliases as LicenseAliasData;

export type NormalisedLicense =
  | { ok: true; spdx: string; /** false when the text already was SPDX */ mapped: boolean }
  | { ok: false; code: 'license-missing' | 'license-ambiguous' | 'license-not-a-license' | 'license-unrecognised'; message: string };

/**
 * The matching key: case, spaces and punctuation, the words "the", "version", "international",
 * "unported", "license"/"licence" and a "v" before a digit carry no meaning in these strings.
 */
export function aliasKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/licen[cs]e/g, ' ')
    .replace(/\b(the|version|international|unported)\b/g, ' ')
    .replace(/v(?=\d)/g, '')
    .replace(/[^a-z0-9.+]/g, '');
}

const keyed = <T>(table: Record<string, T>): Map<string, T> => new Map(Object.entries(table).map(([k, v]) => [aliasKey(k), v]));
const ALIASES = keyed(LICENSE_ALIAS_DATA.aliases);
const AMBIGUOUS = keyed(LICENSE_ALIAS_DATA.ambiguous);
const NOT_A_LICENSE = new Set(LICENSE_ALIAS_DATA.notALicense.map(aliasKey));
const IDENTITY_ERRORS = new Set(['spdx-syntax', 'spdx-unknown', 'spdx-deprecated']);
const DEPRECATED = new Map(Object.entries(LICENSE_DATA.deprecatedReplacements as Record<string, string[]>).map(([k, v]) => [k.toLowerCase(), v]));

const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** What an SPDX-or-free-text licence string means in SPDX, or why it cannot be read. */
export function normaliseLicense(raw: string): NormalisedLicense {
  const text = raw.trim();
  if (text === '') return { ok: false, code: 'license-missing', message: 'no licence given' };

  // Already SPDX (any case): licenses.ts decides, the policy is judged later per role.
  const findings = checkLicense(text, 'software');
  if (!findings.some((f) => IDENTITY_ERRORS.has(f.code))) {
    return { ok: true, spdx: canonicalLicenseExpression(text) ?? text, mapped: false };
  }
  const replacement = DEPRECATED.get(text.toLowerCase());
  if (replacement?.length === 1) return { ok: true, spdx: replacement[0]!, mapped: true };
  if (replacement) return ambiguous(text, replacement);

  const key = aliasKey(text);
  const alias = ALIASES.get(key);
  if (alias !== undefined) return { ok: true, spdx: alias, mapped: true };
  const candidates = AMBIGUOUS.get(key);
  if (candidates) return ambiguous(text, candidates);
  if (NOT_A_LICENSE.has(key)) return { ok: false, code: 'license-not-a-license', message: `licence ${quote(text)} names no licence` };
  const near = suggestLicenseIds(text, 3);
  return {
    ok: false,
    code: 'license-unrecognised',
    message: `licence ${quote(text)} is neither an SPDX expression nor a known licence name${near.length ? ` (closest SPDX ids: ${near.join(', ')})` : ''}`,
  };
}

function ambiguous(text: string, candidates: string[]): NormalisedLicense {
  return { ok: false, code: 'license-ambiguous', message: `licence ${quote(text)} names no single licence: it could be ${candidates.join(', ')}` };
}

/** The SPDX id for a known alias, for hints in the manifest validator ("did you mean"). */
export function spdxForAlias(text: string): string | undefined {
  return ALIASES.get(aliasKey(text.trim()));
}

/** The alias table as Markdown (README "Import and export"; a test keeps the two equal). */
export function licenseAliasMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = [
    '| written as | SPDX |',
    '|---|---|',
    ...Object.entries(LICENSE_ALIAS_DATA.aliases).map(([k, v]) => `| \`${cell(k)}\` | \`${v}\` |`),
    ...Object.entries(LICENSE_ALIAS_DATA.ambiguous).map(([k, v]) => `| \`${cell(k)}\` | refused: could be ${v.map((x) => (x === '…' ? '…' : `\`${x}\``)).join(', ')} |`),
    ...LICENSE_ALIAS_DATA.notALicense.map((k) => `| \`${cell(k)}\` | refused: names no licence |`),
  ];
  return `${rows.join('\n')}\n`;
}
