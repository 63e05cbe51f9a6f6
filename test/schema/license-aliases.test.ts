/**
 * Free-text licence strings → SPDX (schema/license-aliases.data.json): unambiguous names map,
 * names of a family without a version are refused with the exact string and the candidates.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { LICENSE_ALIAS_DATA, licenseAliasMarkdown, normaliseLicense } from '../../schema/license-aliases.ts';
import { REPO_ROOT } from '../helpers/registry.ts';
import { checkLicense } from '../../schema/licenses.ts';
import { validateManifestText } from '../../schema/manifest/index.ts';

describe('licence strings from other catalogues', () => {
  it.each([
    ['CERN OHL v1.2', 'CERN-OHL-1.2'],
    ['CERN Open Hardware Licence Version 2 - Strongly Reciprocal', 'CERN-OHL-S-2.0'],
    ['TAPR OHL', 'TAPR-OHL-1.0'],
    ['TAPR', 'TAPR-OHL-1.0'],
    ['CC BY-SA 4.0', 'CC-BY-SA-4.0'],
    ['CC 0', 'CC0-1.0'],
    ['No software', 'NONE'],
    ['GPL-3.0+', 'GPL-3.0-or-later'],
    ['cern-ohl-s-2.0', 'CERN-OHL-S-2.0'],
    ['MIT OR Apache-2.0', 'MIT OR Apache-2.0'],
  ])('"%s" is %s', (text, spdx) => {
    expect(normaliseLicense(text)).toMatchObject({ ok: true, spdx });
  });

  it.each([
    ['GPL', 'licence "GPL" names no single licence: it could be GPL-2.0-only, GPL-2.0-or-later, GPL-3.0-only, GPL-3.0-or-later'],
    ['CERN', 'licence "CERN" names no single licence: it could be CERN-OHL-1.1, CERN-OHL-1.2, CERN-OHL-S-2.0, CERN-OHL-W-2.0, CERN-OHL-P-2.0'],
    ['GPL-3.0', 'licence "GPL-3.0" names no single licence: it could be GPL-3.0-only, GPL-3.0-or-later'],
  ])('"%s" is refused with the exact string', (text, message) => {
    expect(normaliseLicense(text)).toEqual({ ok: false, code: 'license-ambiguous', message });
  });

  it('refuses what names no licence, and what it does not know', () => {
    expect(normaliseLicense('Other')).toMatchObject({ ok: false, code: 'license-not-a-license', message: 'licence "Other" names no licence' });
    expect(normaliseLicense('  ')).toMatchObject({ ok: false, code: 'license-missing' });
    expect(normaliseLicense('Bob\'s licence')).toMatchObject({ ok: false, code: 'license-unrecognised' });
  });

  it('maps only to current SPDX ids, and lists only current ids as candidates', () => {
    for (const [text, spdx] of Object.entries(LICENSE_ALIAS_DATA.aliases)) {
      const identity = checkLicense(spdx, 'software').filter((f) => f.code.startsWith('spdx-'));
      expect(identity, `${text} → ${spdx}`).toEqual([]);
    }
    for (const [text, ids] of Object.entries(LICENSE_ALIAS_DATA.ambiguous)) {
      for (const id of ids.filter((i) => i !== '…')) expect(checkLicense(id, 'software').filter((f) => f.code.startsWith('spdx-')), `${text}: ${id}`).toEqual([]);
    }
  });

  it('README lists every mapping, as generated from the data file', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const listed = /<!-- license-aliases:start -->\n([\s\S]*?)<!-- license-aliases:end -->/.exec(readme)?.[1];
    expect(listed).toBe(licenseAliasMarkdown());
  });

  it('the manifest validator names the SPDX id of a known free-text licence', () => {
    const yaml = `manifestVersion: "1"\nname: a/b\nversion: 1.0.0\ntitle: T\nsummary: S\nfunction: F\ndocumentationLanguage: en\nlicensor: [{name: A}]\nlicense: {hardware: CERN OHL v1.2, documentation: CC-BY-4.0, software: NONE}\ndocs: {readme: README.md, sources: [a.scad]}\nbom: [{id: a, name: A, type: cots, quantity: 1}]\nproduction: {processes: [ASM]}\n`;
    const r = validateManifestText(yaml);
    expect(r.issues.find((i) => i.path === 'license.hardware')?.message).toContain('"CERN OHL v1.2" is written "CERN-OHL-1.2" in SPDX');
  });
});
