import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import parseSpdx from 'spdx-expression-parse';
import {
  LICENSE_DATA,
  LICENSE_FINDING_CODES,
  MAX_LICENSE_EXPRESSION_LENGTH,
  MAX_LICENSE_OPERATORS,
  allowsDerivatives,
  canonicalLicenseExpression,
  checkLicense,
  forkLicenseAllowed,
  forkLicensesFor,
  isOshwaCompatible,
  licenseFamily,
  licenseIds,
  suggestLicenseIds,
  type LicenseFinding,
  type LicenseRole,
} from '../../schema/licenses.ts';

const require = createRequire(import.meta.url);
const SPDX_IDS: string[] = require('spdx-license-ids/index.json');
const SPDX_DEPRECATED: string[] = require('spdx-license-ids/deprecated.json');

const codes = (f: LicenseFinding[]): string[] => f.map((x) => x.code);
const errors = (f: LicenseFinding[]): LicenseFinding[] => f.filter((x) => x.severity === 'error');
const ROLES: LicenseRole[] = ['hardware', 'documentation', 'software'];

describe('checkLicense: accepted licences', () => {
  it.each([
    ['CERN-OHL-S-2.0', 'hardware'],
    ['CERN-OHL-W-2.0', 'hardware'],
    ['CERN-OHL-P-2.0', 'hardware'],
    ['TAPR-OHL-1.0', 'hardware'],
    ['SHL-0.51', 'hardware'],
    ['GPL-3.0-or-later', 'hardware'],
    ['CC-BY-SA-4.0', 'documentation'],
    ['CC-BY-4.0', 'documentation'],
    ['CC0-1.0', 'documentation'],
    ['GFDL-1.3-or-later', 'documentation'],
    ['MIT', 'software'],
    ['Apache-2.0', 'software'],
  ] as const)('%s is fine for %s', (expr, role) => {
    expect(checkLicense(expr, role)).toEqual([]);
  });

  it('accepts the Solderpad Hardware Licence v2.1, which SPDX writes as an exception to Apache-2.0', () => {
    expect(checkLicense('Apache-2.0 WITH SHL-2.1', 'hardware')).toEqual([]);
  });

  it('accepts "+" (this version or later) and judges it as the version named', () => {
    expect(checkLicense('CC-BY-SA-3.0+', 'documentation')).toEqual([]);
  });

  it('accepts lower-case operators, which SPDX allows', () => {
    expect(checkLicense('MIT and (Apache-2.0 or BSD-3-Clause)', 'software')).toEqual([]);
  });
});

describe('checkLicense: spdx-syntax', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['(MIT', /missing "\)"/],
    ['MIT)', /unbalanced "\)" at column 4/],
    ['MIT AND', /ends after "AND"/],
    ['OR MIT', /at the start/],
    ['MIT AND OR Apache-2.0', /after "AND", found "OR"/],
    ['GPL-2.0-or-later +', /no space is allowed before "\+"/],
    ['MIT WITH', /must be followed by a licence exception/],
    ['MIT AND NONE', /"NONE" cannot be combined/],
  ])('%j is refused: %s', (expr, message) => {
    const f = checkLicense(expr, 'hardware');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'spdx-syntax', severity: 'error' });
    expect(f[0]?.message).toMatch(message);
  });

  it('explains "/" and "," (common in package files) as a choice that must be written OR', () => {
    const [f] = checkLicense('MIT/Apache-2.0', 'software');
    expect(f?.code).toBe('spdx-syntax');
    expect(f?.message).toContain('unexpected character "/" at column 4');
    expect(f?.message).toContain('write OR for a choice of licences');
  });

  it('points out a missing operator and guesses the id a space broke apart', () => {
    const [f] = checkLicense('Apache 2', 'hardware');
    expect(f?.code).toBe('spdx-syntax');
    expect(f?.message).toContain('missing operator between "Apache" and "2"');
    expect(f?.message).toContain('(did you mean Apache-2.0?)');
  });

  it('tells "MIT License" to be written as the id alone', () => {
    expect(checkLicense('MIT License', 'software')[0]?.message).toContain('(write just "MIT")');
  });
});

describe('checkLicense: spdx-unknown with a suggestion', () => {
  it('gives the exact did-you-mean message for CERN-OHL-2', () => {
    expect(checkLicense('CERN-OHL-2', 'hardware')).toEqual([
      { code: 'spdx-unknown', message: 'unknown SPDX id "CERN-OHL-2" (did you mean CERN-OHL-S-2.0?)', severity: 'error' },
    ]);
  });

  it('suggests both GPL-3.0 variants for "GPL3" and "GPLv3"', () => {
    for (const typed of ['GPL3', 'GPLv3']) {
      expect(checkLicense(typed, 'software')[0]?.message)
        .toBe(`unknown SPDX id "${typed}" (did you mean GPL-3.0-only or GPL-3.0-or-later?)`);
    }
  });

  it('suggests the newest version when none is typed: CC-BY-SA → CC-BY-SA-4.0', () => {
    expect(checkLicense('CC-BY-SA', 'documentation')[0]?.message)
      .toBe('unknown SPDX id "CC-BY-SA" (did you mean CC-BY-SA-4.0?)');
  });

  it('ranks same family, then same version, then closeness, then the more reciprocal, then newest', () => {
    expect(suggestLicenseIds('CERN-OHL-2', 3)).toEqual(['CERN-OHL-S-2.0', 'CERN-OHL-W-2.0', 'CERN-OHL-P-2.0']);
    expect(suggestLicenseIds('CC-BY', 1)).toEqual(['CC-BY-4.0']);
    expect(suggestLicenseIds('Apache', 1)).toEqual(['Apache-2.0']);
    expect(suggestLicenseIds('MPL', 1)).toEqual(['MPL-2.0']);
    expect(suggestLicenseIds('LGPL2.1', 2)).toEqual(['LGPL-2.1-only', 'LGPL-2.1-or-later']);
  });

  it('never suggests a deprecated id', () => {
    expect(suggestLicenseIds('GPL-3', 5).some((id) => SPDX_DEPRECATED.includes(id))).toBe(false);
  });

  it('without a plausible suggestion, points to LicenseRef-', () => {
    expect(checkLicense('Zorglub', 'hardware')[0]).toEqual({
      code: 'spdx-unknown',
      message: 'unknown SPDX id "Zorglub" (not on the SPDX licence list; use LicenseRef-<name> for a custom licence)',
      severity: 'error',
    });
  });

  it('checks exceptions after WITH too', () => {
    const [f] = checkLicense('GPL-2.0-only WITH Classpath-exception-9.9', 'software');
    expect(f?.code).toBe('spdx-unknown');
    expect(f?.message).toContain('unknown SPDX licence exception "Classpath-exception-9.9"');
    expect(f?.message).toContain('Classpath-exception-2.0');
  });

  it('reports an unknown id even inside an OR option that could be avoided', () => {
    expect(codes(checkLicense('MIT OR CERN-OHL-2', 'hardware'))).toEqual(['spdx-unknown']);
  });
});

describe('checkLicense: spdx-case (ids match case-insensitively, must be written canonically)', () => {
  it('accepts a wrongly cased id with a warning naming the canonical form', () => {
    expect(checkLicense('cern-ohl-s-2.0', 'hardware')).toEqual([
      { code: 'spdx-case', message: 'SPDX id "cern-ohl-s-2.0" should be written "CERN-OHL-S-2.0"', severity: 'warning' },
    ]);
  });

  it('warns about mixed-case operators and LicenseRef prefixes', () => {
    expect(checkLicense('MIT And Apache-2.0', 'software')).toEqual([
      { code: 'spdx-case', message: 'operator "And" should be written "AND"', severity: 'warning' },
    ]);
    expect(codes(checkLicense('licenseref-Mine', 'hardware'))).toEqual(['spdx-case', 'license-ref']);
  });

  it('the wrongly cased id is still judged by the licence policy', () => {
    expect(codes(checkLicense('cc-by-nc-4.0', 'documentation'))).toEqual(['spdx-case', 'license-nc']);
  });

  it('canonicalLicenseExpression gives the text to write', () => {
    expect(canonicalLicenseExpression('(mit or gpl-3.0-only) and cern-ohl-s-2.0')).toBe('(MIT OR GPL-3.0-only) AND CERN-OHL-S-2.0');
    expect(canonicalLicenseExpression('apache-2.0 with shl-2.1')).toBe('Apache-2.0 WITH SHL-2.1');
    expect(canonicalLicenseExpression('CERN-OHL-2')).toBeNull();
    expect(canonicalLicenseExpression('MIT AND')).toBeNull();
  });
});

describe('checkLicense: spdx-deprecated', () => {
  it('refuses a deprecated id and names both replacements', () => {
    expect(checkLicense('GPL-3.0', 'hardware')).toEqual([
      { code: 'spdx-deprecated', message: 'deprecated SPDX id "GPL-3.0" — use "GPL-3.0-only" or "GPL-3.0-or-later"', severity: 'error' },
    ]);
  });

  it('with "+", names the -or-later replacement only', () => {
    expect(checkLicense('GPL-2.0+', 'software')[0]?.message).toBe('deprecated SPDX id "GPL-2.0+" — use "GPL-2.0-or-later"');
  });

  it.each([
    ['StandardML-NJ', '"SMLNJ"'],
    ['eCos-2.0', '"GPL-2.0-or-later WITH eCos-exception-2.0"'],
    ['wxWindows', '"LGPL-2.0-or-later WITH WxWindows-exception-3.1"'],
    ['Nunit', '"zlib-acknowledgement"'],
    ['GFDL-1.3', '"GFDL-1.3-only" or "GFDL-1.3-or-later"'],
  ])('%s → use %s', (id, replacement) => {
    const [f] = checkLicense(id, 'software');
    expect(f).toMatchObject({ code: 'spdx-deprecated', severity: 'error' });
    expect(f?.message).toBe(`deprecated SPDX id "${id}" — use ${replacement}`);
  });

  it('falls back to a generic message for a deprecated id without a table entry', () => {
    expect(checkLicense('Net-SNMP', 'software')[0]?.message)
      .toBe('deprecated SPDX id "Net-SNMP" — use its current identifier from https://spdx.org/licenses/');
  });

  it('is an error even when written in the wrong case', () => {
    expect(codes(checkLicense('gpl-3.0', 'hardware'))).toEqual(['spdx-deprecated']);
  });
});

describe('checkLicense: NonCommercial and NoDerivatives', () => {
  it.each(['CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-NC-SA-2.0-FR', 'PolyForm-Noncommercial-1.0.0'])(
    '%s is refused for hardware and documentation with license-nc and the reason',
    (id) => {
      for (const role of ['hardware', 'documentation'] as const) {
        const f = checkLicense(id, role);
        expect(f).toEqual([{
          code: 'license-nc',
          message: `${role} licence "${id}" restricts commercial use, which the OSHW definition requires to be allowed`,
          severity: 'error',
        }]);
      }
    },
  );

  it.each(['CC-BY-ND-4.0', 'CC-BY-ND-3.0-DE'])('%s is refused with license-nd and the reason', (id) => {
    expect(checkLicense(id, 'documentation')).toEqual([{
      code: 'license-nd',
      message: `documentation licence "${id}" forbids derivative works, which the OSHW definition requires to be allowed`,
      severity: 'error',
    }]);
  });

  it('CC-BY-NC-ND-3.0 gets both findings', () => {
    expect(codes(checkLicense('CC-BY-NC-ND-3.0', 'hardware'))).toEqual(['license-nc', 'license-nd']);
  });

  it('for software the same findings are warnings (reported, publish not blocked)', () => {
    const f = checkLicense('CC-BY-NC-ND-4.0', 'software');
    expect(codes(f)).toEqual(['license-nc', 'license-nd']);
    expect(errors(f)).toEqual([]);
    expect(f[0]?.message).toContain('flagged for reviewer attention');
  });

  it('the reasons come from the data file', () => {
    expect(LICENSE_DATA.reasons.nonCommercial).toBe('restricts commercial use, which the OSHW definition requires to be allowed');
    expect(LICENSE_DATA.reasons.noDerivatives).toMatch(/^forbids derivative works/);
  });
});

describe('checkLicense: license-not-open, license-ref, NONE, NOASSERTION', () => {
  it('refuses a valid SPDX id that is not on the hardware allowlist, with the specific reason when known', () => {
    const [busl] = checkLicense('BUSL-1.1', 'hardware');
    expect(busl).toMatchObject({ code: 'license-not-open', severity: 'error' });
    expect(busl?.message).toBe(`hardware licence "BUSL-1.1" is not open — ${LICENSE_DATA.notOpen['BUSL-1.1']}`);
    expect(checkLicense('JSON', 'documentation')[0]?.message).toContain('Good, not Evil');
  });

  it('refuses an id with no specific reason with the generic one', () => {
    expect(checkLicense('Beerware', 'hardware')).toEqual([{
      code: 'license-not-open',
      message: 'hardware licence "Beerware" is not on the registry\'s list of OSHWA-compatible hardware licences',
      severity: 'error',
    }]);
  });

  it('for software, a licence off the open source list is a warning', () => {
    const f = checkLicense('BUSL-1.1', 'software');
    expect(codes(f)).toEqual(['license-not-open']);
    expect(f[0]?.severity).toBe('warning');
  });

  it('accepts LicenseRef-* in every role with a warning flagged for reviewer attention', () => {
    for (const role of ROLES) {
      expect(checkLicense('LicenseRef-Acme-Proprietary', role)).toEqual([{
        code: 'license-ref',
        message: `${role} licence "LicenseRef-Acme-Proprietary" is not on the SPDX licence list; flagged for reviewer attention`,
        severity: 'warning',
      }]);
    }
    expect(codes(checkLicense('DocumentRef-spdx-tool:LicenseRef-Acme', 'hardware'))).toEqual(['license-ref']);
  });

  it('NONE is valid for software only', () => {
    expect(checkLicense('NONE', 'software')).toEqual([]);
    for (const role of ['hardware', 'documentation'] as const) {
      expect(checkLicense('NONE', role)).toEqual([{
        code: 'license-none', message: `NONE is only valid for software; ${role} must carry an open licence`, severity: 'error',
      }]);
    }
  });

  it('NOASSERTION is refused everywhere', () => {
    for (const role of ROLES) expect(codes(checkLicense('NOASSERTION', role))).toEqual(['license-noassertion']);
  });

  it('every code it can return is listed in LICENSE_FINDING_CODES with its severity for hardware', () => {
    const samples = ['', 'CERN-OHL-2', 'GPL-3.0', 'cern-ohl-s-2.0', 'CC-BY-NC-4.0', 'CC-BY-ND-4.0', 'JSON', 'LicenseRef-x', 'NONE', 'NOASSERTION', 'MIT '.repeat(200)];
    const seen = new Set(samples.flatMap((s) => checkLicense(s, 'hardware')).map((f) => `${f.code}:${f.severity}`));
    expect([...seen].sort()).toEqual(Object.entries(LICENSE_FINDING_CODES).map(([c, s]) => `${c}:${s}`).sort());
  });
});

describe('checkLicense: OR and AND', () => {
  it('OR is acceptable when one option is: the user may choose it', () => {
    expect(checkLicense('CC-BY-NC-4.0 OR CC-BY-4.0', 'documentation')).toEqual([]);
    expect(checkLicense('BUSL-1.1 OR CERN-OHL-P-2.0', 'hardware')).toEqual([]);
  });

  it('OR with no acceptable option reports every offending option', () => {
    expect(codes(checkLicense('CC-BY-NC-4.0 OR CC-BY-ND-4.0', 'documentation'))).toEqual(['license-nc', 'license-nd']);
  });

  it('OR prefers the clean option over one that only carries a warning', () => {
    expect(checkLicense('LicenseRef-Mine OR MIT', 'hardware')).toEqual([]);
  });

  it('AND needs every part acceptable and reports the offending ones', () => {
    const f = checkLicense('CERN-OHL-S-2.0 AND CC-BY-NC-SA-4.0', 'hardware');
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain('"CC-BY-NC-SA-4.0"');
  });

  it('AND binds tighter than OR', () => {
    // (JSON AND MIT) OR CERN-OHL-S-2.0 → the second option is fine.
    expect(checkLicense('JSON AND MIT OR CERN-OHL-S-2.0', 'hardware')).toEqual([]);
    // JSON AND (MIT OR CERN-OHL-S-2.0) → JSON cannot be avoided.
    expect(codes(checkLicense('JSON AND (MIT OR CERN-OHL-S-2.0)', 'hardware'))).toEqual(['license-not-open']);
  });
});

describe('licenseIds', () => {
  it('lists canonical ids and LicenseRefs once, in order, without exceptions or "+"', () => {
    expect(licenseIds('(mit OR GPL-2.0-or-later+ WITH Classpath-exception-2.0) AND LicenseRef-x AND MIT')).toEqual([
      'MIT', 'GPL-2.0-or-later', 'LicenseRef-x',
    ]);
  });

  it('keeps deprecated ids (they are SPDX ids)', () => {
    expect(licenseIds('GPL-3.0')).toEqual(['GPL-3.0']);
  });

  it('is [] for NONE, NOASSERTION and unparsable expressions', () => {
    for (const e of ['NONE', 'NOASSERTION', 'MIT AND', 'CERN-OHL-2', '']) expect(licenseIds(e)).toEqual([]);
  });
});

describe('licenseFamily', () => {
  it.each([
    ['CC0-1.0', 'public-domain'],
    ['MIT', 'permissive'],
    ['CERN-OHL-P-2.0', 'permissive'],
    ['CERN-OHL-W-2.0', 'weakly-reciprocal'],
    ['MPL-2.0', 'weakly-reciprocal'],
    ['CERN-OHL-S-2.0', 'strongly-reciprocal'],
    ['CC-BY-SA-4.0', 'strongly-reciprocal'],
    ['BUSL-1.1', 'unknown'],
    ['LicenseRef-x', 'unknown'],
    ['NONE', 'unknown'],
    ['MIT AND', 'unknown'],
  ] as const)('%s → %s', (expr, family) => {
    expect(licenseFamily(expr)).toBe(family);
  });

  it('OR counts the most permissive option, AND the most reciprocal', () => {
    expect(licenseFamily('GPL-3.0-only OR MIT')).toBe('permissive');
    expect(licenseFamily('CERN-OHL-S-2.0 OR CERN-OHL-W-2.0')).toBe('weakly-reciprocal');
    expect(licenseFamily('MIT AND GPL-3.0-only')).toBe('strongly-reciprocal');
    expect(licenseFamily('(CC0-1.0 OR MIT) AND LGPL-3.0-only')).toBe('weakly-reciprocal');
  });

  it('OR ignores unknown options while one is known; AND with an unknown part is unknown', () => {
    expect(licenseFamily('LicenseRef-x OR MIT')).toBe('permissive');
    expect(licenseFamily('LicenseRef-x AND MIT')).toBe('unknown');
  });

  it('reads a deprecated id as its replacement', () => {
    expect(licenseFamily('GPL-3.0')).toBe('strongly-reciprocal');
  });
});

describe('allowsDerivatives', () => {
  it('is ok for open licences and for NONE', () => {
    for (const e of ['MIT', 'CERN-OHL-S-2.0', 'CC-BY-NC-4.0', 'NONE', 'LicenseRef-x']) expect(allowsDerivatives(e)).toEqual({ ok: true });
  });

  it('is false for an -ND- licence, with the reason', () => {
    expect(allowsDerivatives('CC-BY-ND-4.0')).toEqual({
      ok: false,
      reason: '"CC-BY-ND-4.0" forbids derivative works, which the OSHW definition requires to be allowed',
    });
    expect(allowsDerivatives('CC-BY-NC-ND-3.0').ok).toBe(false);
  });

  it('an -ND- option that can be avoided with OR does not block; with AND it does', () => {
    expect(allowsDerivatives('CC-BY-ND-4.0 OR CC-BY-4.0')).toEqual({ ok: true });
    expect(allowsDerivatives('CC-BY-ND-4.0 AND MIT').ok).toBe(false);
    expect(allowsDerivatives('CC-BY-ND-4.0 OR CC-BY-NC-ND-4.0').reason).toContain('"CC-BY-ND-4.0" and "CC-BY-NC-ND-4.0"');
  });

  it('is false, with a reason, for NOASSERTION and unreadable expressions', () => {
    expect(allowsDerivatives('NOASSERTION').ok).toBe(false);
    expect(allowsDerivatives('MIT AND').reason).toMatch(/cannot read licence/);
  });
});

describe('forkLicenseAllowed', () => {
  it('refuses a permissive fork of a share-alike upstream, naming both licences', () => {
    const r = forkLicenseAllowed('CC-BY-SA-4.0', 'MIT');
    expect(r.ok).toBe(false);
    expect(r.reason).toBe(
      'fork licence "MIT" is not allowed by upstream licence "CC-BY-SA-4.0": CC-BY-SA-4.0 is share-alike, so a fork must keep CC-BY-SA-4.0, GPL-3.0-only or GPL-3.0-or-later',
    );
  });

  it('allows CC-BY-SA-4.0 → CC-BY-SA-4.0 or GPLv3 (CC one-way compatibility)', () => {
    for (const f of ['CC-BY-SA-4.0', 'GPL-3.0-only', 'GPL-3.0-or-later']) expect(forkLicenseAllowed('CC-BY-SA-4.0', f)).toEqual({ ok: true });
    expect(forkLicenseAllowed('CC-BY-SA-4.0', 'GPL-2.0-only').ok).toBe(false);
  });

  it('CERN-OHL-S-2.0 forks must stay CERN-OHL-S-2.0', () => {
    expect(forkLicenseAllowed('CERN-OHL-S-2.0', 'CERN-OHL-S-2.0')).toEqual({ ok: true });
    const r = forkLicenseAllowed('CERN-OHL-S-2.0', 'CERN-OHL-W-2.0');
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('"CERN-OHL-W-2.0"');
    expect(r.reason).toContain('"CERN-OHL-S-2.0"');
  });

  it('GPL-3.0-only forks may be GPL-3.0-* or AGPL-3.0-*, not GPL-2.0', () => {
    for (const f of ['GPL-3.0-only', 'GPL-3.0-or-later', 'AGPL-3.0-only']) expect(forkLicenseAllowed('GPL-3.0-only', f).ok).toBe(true);
    expect(forkLicenseAllowed('GPL-3.0-only', 'GPL-2.0-only').ok).toBe(false);
  });

  it('a permissive or public-domain upstream allows any fork licence', () => {
    for (const up of ['MIT', 'CERN-OHL-P-2.0', 'CC0-1.0', 'CC-BY-4.0']) {
      for (const f of ['MIT', 'CERN-OHL-S-2.0', 'CC-BY-SA-4.0', 'Apache-2.0']) expect(forkLicenseAllowed(up, f)).toEqual({ ok: true });
    }
  });

  it('a fork may add licences with AND but may not offer an OR escape from share-alike', () => {
    expect(forkLicenseAllowed('CERN-OHL-S-2.0', 'CERN-OHL-S-2.0 AND MIT').ok).toBe(true);
    expect(forkLicenseAllowed('CERN-OHL-S-2.0', 'CERN-OHL-S-2.0 OR MIT').ok).toBe(false);
  });

  it('an upstream OR lets the forker choose; an upstream AND binds every part', () => {
    expect(forkLicenseAllowed('CERN-OHL-S-2.0 OR MIT', 'Apache-2.0').ok).toBe(true);
    expect(forkLicenseAllowed('CERN-OHL-S-2.0 AND MIT', 'Apache-2.0').ok).toBe(false);
  });

  it('a fork may not add an exception the upstream did not grant, but may drop one', () => {
    expect(forkLicenseAllowed('GPL-2.0-only', 'GPL-2.0-only WITH Classpath-exception-2.0').ok).toBe(false);
    expect(forkLicenseAllowed('GPL-2.0-only WITH Classpath-exception-2.0', 'GPL-2.0-only').ok).toBe(true);
  });

  it('a no-derivatives upstream allows no fork at all', () => {
    const r = forkLicenseAllowed('CC-BY-ND-4.0', 'CC-BY-ND-4.0');
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('forbids derivative works');
  });

  it('reads a deprecated upstream as its first replacement', () => {
    expect(forkLicenseAllowed('GPL-3.0', 'MIT').ok).toBe(false);
    expect(forkLicenseAllowed('GPL-3.0', 'GPL-3.0-only').ok).toBe(true);
  });

  it('share-alike CC licences without an explicit rule default to the same licence', () => {
    expect(forkLicensesFor('CC-BY-NC-SA-4.0')).toEqual(['CC-BY-NC-SA-4.0']);
    expect(forkLicensesFor('MIT')).toBeUndefined();
  });

  it('refuses an unreadable fork licence with a reason naming it', () => {
    const r = forkLicenseAllowed('MIT', 'CERN-OHL-2');
    expect(r).toEqual({ ok: true }); // an unknown id is still a readable expression; checkLicense refuses it
    const bad = forkLicenseAllowed('CERN-OHL-S-2.0', 'MIT AND');
    expect(bad.ok).toBe(false);
    expect(bad.reason).toContain('"MIT AND"');
  });
});

describe('isOshwaCompatible', () => {
  it('true for allowlisted licences in their role', () => {
    expect(isOshwaCompatible('CERN-OHL-S-2.0', 'hardware')).toBe(true);
    expect(isOshwaCompatible('CC-BY-SA-3.0-DE', 'documentation')).toBe(true);
    expect(isOshwaCompatible('NONE', 'software')).toBe(true);
  });

  it('false for NC/ND, not-open, LicenseRef, deprecated, unknown, NONE (hardware) and NOASSERTION', () => {
    for (const e of ['CC-BY-NC-4.0', 'CC-BY-ND-4.0', 'BUSL-1.1', 'LicenseRef-x', 'GPL-3.0', 'CERN-OHL-2', 'NONE', 'NOASSERTION', 'MIT AND']) {
      expect(isOshwaCompatible(e, 'hardware')).toBe(false);
    }
  });

  it('only unavoidable ids count: OR needs one compatible option, AND needs all', () => {
    expect(isOshwaCompatible('LicenseRef-x OR MIT', 'hardware')).toBe(true);
    expect(isOshwaCompatible('LicenseRef-x AND MIT', 'hardware')).toBe(false);
  });

  it('is per role: CC-BY-2.0 is accepted for documentation but not hardware', () => {
    expect(isOshwaCompatible('CC-BY-2.0', 'documentation')).toBe(true);
    expect(isOshwaCompatible('CC-BY-2.0', 'hardware')).toBe(false);
  });
});

describe('licenses.data.json stays honest', () => {
  const data = LICENSE_DATA;
  const listed = [
    ...Object.values(data.allowlist).flat(),
    ...Object.values(data.families).flat(),
    ...Object.keys(data.notOpen),
    ...data.restrictions.nonCommercial.ids,
    ...data.restrictions.noDerivatives.ids,
    ...Object.keys(data.forkRules),
    ...Object.values(data.forkRules).flat(),
  ];

  it('has a $comment with sources and a version', () => {
    const comment = Array.isArray(data.$comment) ? data.$comment.join(' ') : data.$comment;
    expect(comment).toContain('oshwa.org');
    expect(comment).toContain('spdx.org/licenses');
    expect(data.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every id exists in spdx-license-ids and is not deprecated', () => {
    const bad = [...new Set(listed)].filter((id) => !SPDX_IDS.includes(id) || SPDX_DEPRECATED.includes(id));
    expect(bad).toEqual([]);
  });

  it('deprecated-replacement keys are deprecated ids, and every replacement is a clean expression', () => {
    for (const [id, replacements] of Object.entries(data.deprecatedReplacements)) {
      expect(SPDX_DEPRECATED, id).toContain(id);
      for (const r of replacements) {
        expect(() => parseSpdx(r)).not.toThrow();
        expect(checkLicense(r, 'software').filter((f) => f.code.startsWith('spdx-')), r).toEqual([]);
        expect(licenseIds(r), r).toHaveLength(1); // effective() reads a replacement as a single licence
      }
    }
  });

  it('the allowlists contain no NonCommercial or NoDerivatives licence', () => {
    for (const role of ROLES) {
      for (const id of data.allowlist[role]) expect(checkLicense(id, role), `${role}: ${id}`).toEqual([]);
    }
  });

  it('hardware licences are also accepted for documentation', () => {
    const doc = new Set(data.allowlist.documentation);
    expect(data.allowlist.hardware.filter((id) => !doc.has(id))).toEqual([]);
  });

  it('every allowlisted id has exactly one family', () => {
    const all = Object.values(data.families).flat();
    expect(all.length).toBe(new Set(all).size);
    const missing = [...new Set(Object.values(data.allowlist).flat())].filter((id) => !all.includes(id));
    expect(missing).toEqual([]);
  });

  it('the canonical form of an expression round-trips through spdx-expression-parse', () => {
    const e = canonicalLicenseExpression('(mit OR gpl-2.0-or-later+ WITH classpath-exception-2.0) AND licenseref-x');
    expect(e).toBe('(MIT OR GPL-2.0-or-later+ WITH Classpath-exception-2.0) AND LicenseRef-x');
    expect(() => parseSpdx(e as string)).not.toThrow();
  });
});

describe('oversized expressions (spdx-too-long)', () => {
  const ands = (n: number): string => Array.from({ length: n + 1 }, () => 'MIT').join(' OR ');

  it('reads an expression of 512 characters and 64 operators', () => {
    expect(MAX_LICENSE_EXPRESSION_LENGTH).toBe(512);
    expect(MAX_LICENSE_OPERATORS).toBe(64);
    expect(checkLicense(ands(64), 'hardware')).toEqual([]);
    const padded = `MIT${' '.repeat(509)}`;
    expect(padded).toHaveLength(512);
    expect(checkLicense(padded, 'hardware')).toEqual([]);
  });

  it('refuses more than 512 characters with one finding, quickly and without a stack overflow', () => {
    for (const expr of [`${'MIT AND '.repeat(20_000)}MIT`, `${'('.repeat(5000)}MIT${')'.repeat(5000)}`, `MIT${' '.repeat(510)}`]) {
      expect(checkLicense(expr, 'hardware')).toEqual([
        { code: 'spdx-too-long', severity: 'error', message: `the licence expression is ${expr.length} characters long; the limit is 512` },
      ]);
    }
  });

  it('refuses more than 64 operators, counting AND, OR and WITH in any case', () => {
    const expr = Array.from({ length: 66 }, (_, i) => (i % 2 ? 'MIT' : '0BSD')).join(' or ');
    expect(expr.length).toBeLessThanOrEqual(512);
    expect(checkLicense(expr, 'documentation')).toEqual([
      { code: 'spdx-too-long', severity: 'error', message: 'the licence expression has 65 operators (AND, OR, WITH); the limit is 64' },
    ]);
  });

  it('answers every other helper without throwing', () => {
    const expr = `${'MIT AND '.repeat(20_000)}MIT`;
    expect(licenseIds(expr)).toEqual([]);
    expect(licenseFamily(expr)).toBe('unknown');
    expect(canonicalLicenseExpression(expr)).toBeNull();
    expect(allowsDerivatives(expr)).toMatchObject({ ok: false, reason: expect.stringContaining('the limit is 512') });
    expect(isOshwaCompatible(expr, 'hardware')).toBe(false);
    expect(forkLicenseAllowed(expr, 'MIT').ok).toBe(false);
    expect(LICENSE_FINDING_CODES['spdx-too-long']).toBe('error');
  });
});
