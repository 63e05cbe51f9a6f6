/** JSON Schema violations, each as one actionable, located issue. */
import { describe, expect, it } from 'vitest';
import { validateManifestText } from '../../../schema/manifest/index.ts';
import { edit, expectIssue, MINIMAL } from './fixtures.ts';

describe('fields', () => {
  it('accepts the minimal manifest', () => {
    const r = validateManifestText(MINIMAL);
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.manifest?.bom[0]).toEqual({ id: 'm3-bolt', name: 'M3x10 bolt', type: 'cots', quantity: 4 });
  });

  it('reports an unknown field at its key, suggesting the close one', () => {
    expectIssue(validateManifestText(edit('summary:', 'sumary:')), {
      code: 'unknown-field', path: 'sumary', line: 5, column: 1, message: 'unknown field "sumary" (did you mean "summary"?)',
    });
  });

  it('suggests among the fields allowed at that place, e.g. a BOM line', () => {
    expectIssue(validateManifestText(edit('quantity: 4', 'quantity: 4\n    manufactuer: Würth')), {
      code: 'unknown-field', path: 'bom[0].manufactuer', line: 22, column: 5, message: 'unknown field "manufactuer" (did you mean "manufacturer"?)',
    });
  });

  it('does not suggest when nothing is close', () => {
    expectIssue(validateManifestText(`${MINIMAL}colour: red\n`), {
      code: 'unknown-field', path: 'colour', line: 24, column: 1, message: 'unknown field "colour"',
    });
  });

  it('reports a missing required field at the mapping that should hold it', () => {
    expectIssue(validateManifestText(edit('function: Holds things together for makers.\n', '')), {
      code: 'missing-field', path: 'function', line: 1, column: 1, message: 'missing required field "function"',
    });
  });

  it('reports a missing nested field at its parent mapping', () => {
    expectIssue(validateManifestText(edit('    name: M3x10 bolt\n', '')), {
      code: 'missing-field', path: 'bom[0].name', line: 18, column: 5, message: 'missing required field "name"',
    });
    expectIssue(validateManifestText(edit('  documentation: CC-BY-4.0\n', '')), {
      code: 'missing-field', path: 'license.documentation', line: 11, column: 3, message: 'missing required field "documentation"',
    });
  });
});

describe('values', () => {
  it('reports a wrong type with what was written', () => {
    expectIssue(validateManifestText(edit('quantity: 4', 'quantity: two')), {
      code: 'wrong-type', path: 'bom[0].quantity', line: 21, column: 15, message: 'must be a number, got string "two"',
    });
  });

  it('describes lists, mappings and empty values', () => {
    expectIssue(validateManifestText(edit('title: Widget', 'title: [Widget]')), {
      code: 'wrong-type', path: 'title', line: 4, column: 8, message: 'must be a string, got a list',
    });
    expectIssue(validateManifestText(edit('  processes: [ASM]', '  processes:')), {
      code: 'wrong-type', path: 'production.processes', line: 23, column: 3, message: 'must be a list, got nothing (empty value)',
    });
    expectIssue(validateManifestText(edit('documentationLanguage: en', 'documentationLanguage: 3')), {
      code: 'wrong-type', path: 'documentationLanguage', line: 7, column: 24, message: 'must be a string or a list, got number 3',
    });
  });

  it('lists the allowed values for an unknown process code', () => {
    expectIssue(validateManifestText(edit('[ASM]', '[ASM, XYZ]')), {
      code: 'invalid-value', path: 'production.processes[1]', line: 23, column: 20,
      message: 'must be one of ASM, MEC, CIR, PCB, WEL, 3DP, LAS, CNC, CST, WOD, TEX, CER (got "XYZ")',
    });
  });

  it('suggests the right spelling of an allowed value', () => {
    expectIssue(validateManifestText(edit('type: cots', 'type: Cots')), {
      code: 'invalid-value', path: 'bom[0].type', line: 20, column: 11,
      message: 'must be one of cots, diy, custom, raw, consumable, printed, pcb, subassembly (got "Cots", did you mean "cots"?)',
    });
  });

  it('refuses a quantity of zero or less', () => {
    expectIssue(validateManifestText(edit('quantity: 4', 'quantity: 0')), {
      code: 'out-of-range', path: 'bom[0].quantity', line: 21, column: 15, message: 'must be greater than 0 (got 0)',
    });
    expectIssue(validateManifestText(edit('quantity: 4', 'quantity: -2.5')), {
      code: 'out-of-range', path: 'bom[0].quantity', line: 21, column: 15, message: 'must be greater than 0 (got -2.5)',
    });
  });

  it('refuses a version that is not semver 2.0', () => {
    expectIssue(validateManifestText(edit('version: 1.0.0', 'version: "1.0"')), {
      code: 'semver-invalid', path: 'version', line: 3, column: 10, message: 'must be a semver 2.0 version such as 1.2.0 or 2.0.0-rc.1 (got "1.0")',
    });
    expectIssue(validateManifestText(edit('version: 1.0.0', 'version: 01.0.0')), {
      code: 'semver-invalid', path: 'version', line: 3, column: 10, message: 'must be a semver 2.0 version such as 1.2.0 or 2.0.0-rc.1 (got "01.0.0")',
    });
  });

  it('says that version numbers too large for semver are refused', () => {
    expectIssue(validateManifestText(edit('version: 1.0.0', 'version: 99999999999999999999.0.0')), {
      code: 'semver-invalid', path: 'version', line: 3, column: 10,
      message: '"99999999999999999999.0.0" is not a usable semver version (each number must be below 9007199254740991, at most 64 characters)',
    });
  });

  it('refuses a badly formed package name', () => {
    expectIssue(validateManifestText(edit('name: acme/widget', 'name: Acme/widget')), {
      code: 'name-invalid', path: 'name', line: 2, column: 7,
      message: 'must be owner/name, each part lowercase letters, digits and single hyphens, 1-64 characters (got "Acme/widget")',
    });
    expect(validateManifestText(edit('name: acme/widget', `name: acme/${'a'.repeat(65)}`)).issues[0]?.code).toBe('name-invalid');
    expect(validateManifestText(edit('name: acme/widget', `name: acme/${'a'.repeat(64)}`)).ok).toBe(true);
  });

  it('explains that manifestVersion is the string "1"', () => {
    expectIssue(validateManifestText(edit('manifestVersion: "1"', 'manifestVersion: 1')), {
      code: 'invalid-value', path: 'manifestVersion', line: 1, column: 18, message: 'must be "1" (got number 1; quote it: manifestVersion: "1")',
    });
  });

  it('refuses ODRL-3*, which only the registry awards', () => {
    expectIssue(validateManifestText(`${MINIMAL}maturity:\n  documentation: ODRL-3*\n`), {
      code: 'maturity-odrl3-claimed', path: 'maturity.documentation', line: 25, column: 18,
      message: '"ODRL-3*" is awarded by the registry from a certificate and cannot be claimed; use "ODRL-3"',
    });
  });

  it('refuses a duplicated list item', () => {
    expectIssue(validateManifestText(edit('[ASM]', '[ASM, WEL, ASM]')), {
      code: 'duplicate-item', path: 'production.processes[2]', line: 23, column: 25, message: '"ASM" is listed twice (first as item 1)',
    });
  });

  it('checks URLs and email addresses', () => {
    expectIssue(validateManifestText(edit('  - name: Ada', '  - name: Ada\n    email: ada at example')), {
      code: 'invalid-format', path: 'licensor[0].email', line: 10, column: 12, message: 'must be an email address (got "ada at example")',
    });
  });

  it('reports every problem at once, in document order', () => {
    const r = validateManifestText(edit('quantity: 4', 'quantity: 0').replace('summary:', 'sumary:'));
    expect(r.issues.map((i) => `${i.line}:${i.column} ${i.code}`)).toEqual(['1:1 missing-field', '5:1 unknown-field', '21:15 out-of-range']);
  });
});
