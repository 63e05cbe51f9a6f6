/**
 * Licence rules (SPEC §2 "Licences"): SPDX expression checking per role, OSHWA compatibility,
 * reciprocity families, derivative and fork rules. Pure: no I/O. The policy (allowlists, families,
 * reasons, deprecated replacements, fork rules) lives in `licenses.data.json`; this file is the
 * machinery that applies it.
 *
 * Decisions, documented once:
 * - **Case.** SPDX ids match case-insensitively but are written canonically. A wrongly cased id
 *   (`cern-ohl-s-2.0`) is *accepted* with a warning `spdx-case` naming the canonical form, and every
 *   function here works on the canonical id. `canonicalLicenseExpression()` gives the fixed text.
 *   Operators may be `AND` or `and` (SPDX); mixed case (`And`) gets the same warning.
 * - **Identity findings** (`spdx-syntax`, `spdx-unknown`, `spdx-deprecated`, `spdx-case`) are always
 *   reported, even inside an `OR` option the user could avoid: the text is wrong either way.
 *   **Policy findings** (`license-nc`, `license-nd`, `license-not-open`, `license-ref`, `license-none`)
 *   follow the expression: with `OR` one acceptable option is enough (and the cleanest acceptable
 *   option's warnings are the ones reported); with `AND` every part must be acceptable.
 * - **Software** is not covered by the OSHWA allowlist rule of SPEC §2: `NONE` is accepted, and
 *   NonCommercial / NoDerivatives / not-on-the-open-source-list licences are *warnings* (same codes),
 *   so reviewers see them without blocking publish.
 * - `WITH <exception>` only adds permissions (SPDX exceptions are all additional permissions), so the
 *   base licence decides acceptance and family; the exception is checked to exist.
 * - `X+` ("this version or later") is judged as `X`.
 * - Deprecated ids are refused (`spdx-deprecated`), but the semantic helpers (`licenseFamily`,
 *   `allowsDerivatives`, `forkLicenseAllowed`) read them as their first replacement so that old
 *   upstream records still answer sensibly.
 * - **Size.** Expressions over 512 characters or 64 operators are not read (`spdx-too-long`).
 *
 * The machinery is split by seam under schema/licenses/: data (tables), suggest (did-you-mean),
 * parse (tokenizer, grammar, ids), policy (checkLicense), semantics (family, forks, OSHWA).
 */
export {
  LICENSE_DATA, LICENSE_FINDING_CODES,
  type LicenseData, type LicenseFamily, type LicenseFinding, type LicenseFindingCode, type LicenseRole,
} from './licenses/data.ts';
export { suggestLicenseIds } from './licenses/suggest.ts';
export { MAX_LICENSE_EXPRESSION_LENGTH, MAX_LICENSE_OPERATORS } from './licenses/parse.ts';
export { canonicalLicenseExpression, checkLicense, licenseIds } from './licenses/policy.ts';
export { allowsDerivatives, forkLicenseAllowed, forkLicensesFor, isOshwaCompatible, licenseFamily } from './licenses/semantics.ts';
