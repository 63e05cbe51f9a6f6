/** Rules beyond the schema: references, uniqueness, files, sub-assemblies, ranges, ISO codes. */
import { describe, expect, it } from 'vitest';
import { validateDesign, validateManifestText } from '../../../schema/manifest/index.ts';
import { edit, expectIssue, MINIMAL, pkg, withBomLines } from './fixtures.ts';

const PARTS = `parts:
  - id: bracket
    name: Bracket
    source: cad/bracket.scad
`;

describe('BOM and parts', () => {
  it('refuses a duplicate BOM id, naming the line of the first', () => {
    const r = validateManifestText(withBomLines('  - id: washer\n    name: Washer\n    type: cots\n    quantity: 4\n  - id: m3-bolt\n    name: Other bolt\n    type: cots\n    quantity: 1\n'));
    expectIssue(r, { code: 'bom-id-duplicate', path: 'bom[2].id', line: 26, column: 9, message: 'duplicate BOM id "m3-bolt" (first at line 18)' });
  });

  it('refuses a part reference that no part has', () => {
    const r = validateManifestText(`${edit('quantity: 4', 'quantity: 4\n    part: brakcet')}${PARTS}`);
    expectIssue(r, { code: 'part-unknown', path: 'bom[0].part', line: 22, column: 11, message: 'no part in "parts" has id "brakcet" (did you mean "bracket"?)' });
  });

  it('accepts a part reference that exists', () => {
    expect(validateManifestText(`${edit('quantity: 4', 'quantity: 4\n    part: bracket')}${PARTS}`).ok).toBe(true);
  });

  it('refuses a duplicate part id', () => {
    const r = validateManifestText(`${MINIMAL}${PARTS}  - id: bracket\n    name: Second bracket\n`);
    expectIssue(r, { code: 'part-id-duplicate', path: 'parts[1].id', line: 28, column: 9, message: 'duplicate part id "bracket" (first at line 25)' });
  });

  it('refuses a proprietary component that names no BOM line', () => {
    const r = validateManifestText(`${MINIMAL}proprietaryComponents:\n  - bomRef: m3-blot\n    reason: closed\n    datasheet: https://example.org/ds.pdf\n`);
    expectIssue(r, { code: 'bom-ref-unknown', path: 'proprietaryComponents[0].bomRef', line: 25, column: 13, message: 'no BOM line has id "m3-blot" (did you mean "m3-bolt"?)' });
  });
});

describe('sub-assemblies', () => {
  const SUB = '  - id: psu\n    name: Power supply\n    type: subassembly\n    quantity: 1\n';

  it('requires "subassembly" on a line of type subassembly', () => {
    expectIssue(validateManifestText(withBomLines(SUB)), {
      code: 'subassembly-missing', path: 'bom[1].subassembly', line: 22, column: 5,
      message: 'a line of type subassembly needs "subassembly: {package: owner/name, version: <semver range>}"',
    });
  });

  it('refuses a subassembly without package, with its own code', () => {
    expectIssue(validateManifestText(withBomLines(`${SUB}    subassembly:\n      version: ^1.0.0\n`)), {
      code: 'subassembly-missing-package', path: 'bom[1].subassembly.package', line: 27, column: 7,
      message: 'missing required field "package" (the owner/name of the sub-assembly design)',
    });
  });

  it('refuses "subassembly" on a line of another type', () => {
    expectIssue(validateManifestText(edit('quantity: 4', 'quantity: 4\n    subassembly: { package: acme/psu, version: ^1.0.0 }')), {
      code: 'subassembly-unexpected', path: 'bom[0].subassembly', line: 22, column: 5,
      message: '"subassembly" is only allowed on lines of type subassembly (this line is "cots")',
    });
  });

  it('refuses an invalid semver range', () => {
    expectIssue(validateManifestText(withBomLines(`${SUB}    subassembly:\n      package: acme/psu\n      version: ">=1.x.y z"\n`)), {
      code: 'semver-range-invalid', path: 'bom[1].subassembly.version', line: 28, column: 16,
      message: '">=1.x.y z" is not a semver range; write e.g. ^1.2.0, ~1.2.0 or >=1.0.0 <2.0.0',
    });
  });

  it('accepts a valid range and refuses a design containing itself', () => {
    expect(validateManifestText(withBomLines(`${SUB}    subassembly: { package: acme/psu, version: ">=1.0.0 <2.0.0" }\n`)).ok).toBe(true);
    expectIssue(validateManifestText(withBomLines(`${SUB}    subassembly: { package: acme/widget, version: ^1.0.0 }\n`)), {
      code: 'subassembly-self', path: 'bom[1].subassembly.package', line: 26, column: 29, message: 'a design cannot contain itself ("acme/widget")',
    });
  });
});

describe('files', () => {
  it('refuses a referenced file that is not in the package', () => {
    const r = validateDesign(pkg(edit('    - cad/widget.scad', '    - cad/widget.scad\n    - cad/Bracket.scad'), { 'cad/bracket.scad': '' }));
    expectIssue(r, { code: 'file-missing', path: 'docs.sources[1]', line: 17, column: 7, message: 'file "cad/Bracket.scad" is not in the package (did you mean "cad/bracket.scad"?)' });
  });

  it('checks part sources and exports', () => {
    const r = validateDesign(pkg(`${MINIMAL}${PARTS}`));
    expectIssue(r, { code: 'file-missing', path: 'parts[0].source', line: 27, column: 13, message: 'file "cad/bracket.scad" is not in the package' });
  });

  it('accepts a folder, and ./-prefixed paths', () => {
    expect(validateDesign(pkg(edit('    - cad/widget.scad', '    - cad\n    - ./cad/widget.scad'))).issues).toEqual([]);
  });

  it('skips existence checks without the package files', () => {
    expect(validateManifestText(`${MINIMAL}${PARTS}`).ok).toBe(true);
  });

  it('refuses paths leaving the package or absolute, even without the files', () => {
    expectIssue(validateManifestText(edit('readme: README.md', 'readme: ../README.md')), {
      code: 'path-invalid', path: 'docs.readme', line: 14, column: 11, message: '"../README.md" leaves the package (".."); only files inside the package can be referenced',
    });
    expectIssue(validateManifestText(edit('readme: README.md', 'readme: /etc/passwd')), {
      code: 'path-invalid', path: 'docs.readme', line: 14, column: 11, message: '"/etc/passwd" is an absolute path; write it relative to the package root',
    });
  });

  it('refuses a package without design.yaml', () => {
    expect(validateDesign(pkg(MINIMAL), { file: 'other.yaml' }).issues).toEqual([
      { file: 'other.yaml', path: '', line: 0, column: 0, code: 'file-missing', message: 'other.yaml is missing; every design package has one at its root', severity: 'error' },
    ]);
  });
});

describe('codes', () => {
  const OFFER = (currency: string, region: string): string =>
    edit('quantity: 4', `quantity: 4\n    offers:\n      - supplier: Würth\n        region: ${region}\n        currency: ${currency}\n        priceBreaks: [{ qty: 1, price: 0.1 }]`);

  it('refuses a currency that is not ISO 4217', () => {
    expectIssue(validateManifestText(OFFER('eur', 'DE')), {
      code: 'currency-invalid', path: 'bom[0].offers[0].currency', line: 25, column: 19, message: '"eur" is not an ISO 4217 currency code (did you mean "EUR"?)',
    });
  });

  it('accepts a country or a documented region, and refuses the rest', () => {
    expect(validateManifestText(OFFER('EUR', 'EU')).ok).toBe(true);
    expect(validateManifestText(OFFER('EUR', 'WORLD')).ok).toBe(true);
    expectIssue(validateManifestText(OFFER('GBP', 'UK')), {
      code: 'region-invalid', path: 'bom[0].offers[0].region', line: 24, column: 17,
      message: '"UK" is not an ISO 3166-1 alpha-2 country code or one of WORLD, EU, EEA, EUROPE, AFRICA, ASIA, OCEANIA, NORTH-AMERICA, SOUTH-AMERICA, LATAM, MIDDLE-EAST (did you mean "GB"?)',
    });
  });

  it('refuses a responsible party country that is not ISO 3166-1 alpha-2', () => {
    const r = validateManifestText(`${MINIMAL}responsibleParty:\n  type: Company\n  name: Acme\n  country: Germany\n  contact: hello@acme.example\n`);
    expectIssue(r, { code: 'country-invalid', path: 'responsibleParty.country', line: 27, column: 12, message: '"Germany" is not an ISO 3166-1 alpha-2 country code' });
  });

  it('refuses a documentation language that is not BCP 47, and warns about spelling', () => {
    expectIssue(validateManifestText(edit('documentationLanguage: en', 'documentationLanguage: [en, de_CH]')), {
      code: 'language-invalid', path: 'documentationLanguage[1]', line: 7, column: 29, message: '"de_CH" is not a BCP 47 language tag (did you mean "de-CH"?)',
    });
    const r = validateManifestText(edit('documentationLanguage: en', 'documentationLanguage: EN-us'));
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([{ file: 'design.yaml', path: 'documentationLanguage', line: 7, column: 24, code: 'language-not-canonical', message: 'write the language tag as "en-US"', severity: 'warning' }]);
  });
});
