/** A BOM in a CSV file: read into BOM lines, checked like YAML, issues located in the CSV. */
import { describe, expect, it } from 'vitest';
import { validateDesign, validateManifestText } from '../../../schema/manifest/index.ts';
import { edit, expectIssue, pkg } from './fixtures.ts';

const CSV_MANIFEST = edit('bom:\n  - id: m3-bolt\n    name: M3x10 bolt\n    type: cots\n    quantity: 4\n', 'bom: bom.csv\n');
const HEADER = 'id,name,type,quantity,unit,references,fitted,supplier,currency,price,lead_time_days\n';
const withCsv = (csv: string) => validateDesign(pkg(CSV_MANIFEST, { 'bom.csv': csv }));

describe('CSV BOM', () => {
  it('reads rows into the same BOM lines as YAML', () => {
    const r = withCsv(`${HEADER}r1,"Resistor, 10k",cots,2,pcs,R1 R2,yes,Mouser,EUR,1:0.12;100:0.08,5\nglue,Glue,consumable,1.5,ml,,,,,,\n`);
    expect(r.issues).toEqual([]);
    expect(r.manifest?.bom).toEqual([
      {
        id: 'r1', name: 'Resistor, 10k', type: 'cots', quantity: 2, unit: 'pcs', references: ['R1', 'R2'], fitted: true,
        offers: [{ supplier: 'Mouser', currency: 'EUR', priceBreaks: [{ qty: 1, price: 0.12 }, { qty: 100, price: 0.08 }], leadTimeDays: 5 }],
      },
      { id: 'glue', name: 'Glue', type: 'consumable', quantity: 1.5, unit: 'ml' },
    ]);
  });

  it('takes a single price as one break at quantity 1, and matches headers loosely', () => {
    const r = withCsv('ID,Name,Type,Quantity,Supplier,Currency,Price,Lead Time Days\nb,Bolt,cots,4,Würth,EUR,0.05,3\n');
    expect(r.manifest?.bom[0]?.offers).toEqual([{ supplier: 'Würth', currency: 'EUR', priceBreaks: [{ qty: 1, price: 0.05 }], leadTimeDays: 3 }]);
  });

  it('locates a bad cell by row line and column number in the CSV', () => {
    const r = withCsv(`${HEADER}r1,Resistor,cots,2,pcs,,,,,,\n\nr2,Cap,cots,two,pcs,,,,,,\n`);
    expectIssue(r, { file: 'bom.csv', code: 'wrong-type', path: 'bom[1].quantity', line: 4, column: 4, message: 'must be a number, got string "two"' });
  });

  it('locates a missing cell at its column, and a row spanning lines at its first line', () => {
    const r = withCsv(`${HEADER}r1,"Resistor\nwith note",cots,2,pcs,,,,,,\nr2,,cots,1,pcs,,,,,,\n`);
    expectIssue(r, { file: 'bom.csv', code: 'missing-field', path: 'bom[1].name', line: 4, column: 2, message: 'missing required field "name"' });
    const r2 = withCsv(`${HEADER}r1,"Resistor\nwith note",cots,0,pcs,,,,,,\n`);
    expectIssue(r2, { file: 'bom.csv', code: 'out-of-range', path: 'bom[0].quantity', line: 2, column: 4, message: 'must be greater than 0 (got 0)' });
  });

  it('runs the semantic checks over CSV lines too', () => {
    const r = withCsv(`${HEADER}r1,Resistor,cots,2,,,,,,,\nr1,Other,cots,1,,,,Mouser,eur,0.1,\n`);
    expectIssue(r, { file: 'bom.csv', code: 'bom-id-duplicate', path: 'bom[1].id', line: 3, column: 1, message: 'duplicate BOM id "r1" (first at line 2)' });
    expectIssue(r, { file: 'bom.csv', code: 'currency-invalid', path: 'bom[1].offers[0].currency', line: 3, column: 9, message: '"eur" is not an ISO 4217 currency code (did you mean "EUR"?)' });
  });

  it('refuses unknown and missing columns in the header', () => {
    const r = withCsv('id,name,type,qty\nr1,R,cots,1\n');
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([
      { file: 'bom.csv', path: 'bom', line: 1, column: 4, code: 'csv-unknown-column', message: 'unknown column "qty" (did you mean "quantity"?)', severity: 'error' },
      { file: 'bom.csv', path: 'bom', line: 1, column: 1, code: 'csv-missing-column', message: 'missing required column "quantity"', severity: 'error' },
    ].sort((a, b) => a.column - b.column));
  });

  it('reports a CSV syntax error at its line', () => {
    expectIssue(withCsv(`${HEADER}r1,R,cots,1\n`), {
      file: 'bom.csv', code: 'csv-syntax', path: 'bom', line: 2, column: 1, message: 'Invalid Record Length: expect 11, got 4',
    });
  });

  it('reports a missing CSV file at the bom field of design.yaml', () => {
    expectIssue(validateDesign(pkg(CSV_MANIFEST)), { code: 'file-missing', path: 'bom', line: 17, column: 6, message: 'file "bom.csv" is not in the package' });
  });

  it('says the CSV cannot be read when only the text is validated', () => {
    expectIssue(validateManifestText(CSV_MANIFEST), {
      code: 'bom-csv-unread', path: 'bom', line: 17, column: 6, message: 'the BOM is in "bom.csv", which can only be read when validating the package folder',
    });
  });
});
