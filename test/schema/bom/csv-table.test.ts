import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { costBatch } from '../../../schema/bom/cost.ts';
import { bomToCsv, kitspaceRetailer, safeCell } from '../../../schema/bom/csv.ts';
import { bomToTable } from '../../../schema/bom/table.ts';
import { design, explodeOf, leaf, offer, sub } from './fixtures.ts';

/**
 * top@1.0.0: 2 × board, 1 × "=HYPERLINK(…)" cable (hostile name), frame (no offer), spare (not fitted)
 * board@1.0.0: 10 kΩ resistor ×3 (R1–R3) with Digi-Key and Mouser offers, MCU ×1 (LCSC)
 * batch 5 → boards 10 → resistors 30, MCUs 10.
 *   resistor: Digi-Key 1@0.10, 10@0.05 → 30 × 0.05 = 1.50 EUR; Mouser 0.06 flat → 1.80 → Digi-Key
 *   MCU: LCSC 10@1.20 USD → 12.00 USD, lead 14 days
 *   cable: 5 × 2.00 = 10.00 EUR from "Kabel & Co"
 */
async function costing() {
  const board = design('k/board', '1.0.0', [
    leaf('r', 3, {
      name: 'Resistor 10k 0603', manufacturer: 'Yageo', mpn: 'RC0603FR-0710KL', references: ['R1', 'R2', 'R3'],
      offers: [offer('Digi-Key', 'EUR', [[1, 0.1], [10, 0.05]], { sku: '311-10.0KHRCT-ND', region: 'EU' }), offer('Mouser', 'EUR', [[1, 0.06]], { sku: '603-RC0603FR-0710KL' })],
      alternatives: [{ manufacturer: 'Vishay', mpn: 'CRCW060310K0FKEA', compatibility: 'drop-in' }],
    }),
    leaf('mcu', 1, { name: 'MCU', manufacturer: 'WCH', mpn: 'CH32V003F4P6', references: ['U1'], offers: [offer('LCSC', 'USD', [[10, 1.2]], { sku: 'C5299908', leadTimeDays: 14 })] }),
  ]);
  const top = design('k/top', '1.0.0', [
    sub('board', 'k/board', '^1.0.0', 2),
    leaf('cable', 1, { name: '=HYPERLINK("http://evil")', offers: [offer('Kabel & Co', 'EUR', [[1, 2]], { leadTimeDays: 3 })] }),
    leaf('frame', 1, { name: 'Frame, plywood', type: 'diy' }),
    leaf('spare', 1, { name: 'Spare fuse', fitted: false }),
  ]);
  const bom = await explodeOf(top, [board]);
  return costBatch(bom, { batch: 5, currency: 'EUR' });
}

describe('bomToCsv', () => {
  it('has the Kitspace columns first, the retailers present, then the documented extras', async () => {
    const rows: string[][] = parse(bomToCsv(await costing()));
    expect(rows[0]).toEqual([
      'References', 'Qty', 'Description', 'Manufacturer', 'MPN', 'Digikey', 'Mouser', 'LCSC',
      'Unit', 'Qty per unit', 'Supplier', 'SKU', 'Region', 'Buy qty', 'Unit price', 'Currency', 'Extended price',
      'Lead time (days)', 'Alternatives', 'Where used', 'Notes',
    ]);
    expect(rows).toHaveLength(1 + 4); // header + resistor, mcu, cable, frame (the not-fitted spare is not bought)
    const r = Object.fromEntries(rows[0]!.map((h, i) => [h, rows[1]![i]]));
    expect(r).toEqual({
      References: 'R1, R2, R3', Qty: '30', Description: 'Resistor 10k 0603', Manufacturer: 'Yageo', MPN: 'RC0603FR-0710KL',
      Digikey: '311-10.0KHRCT-ND', Mouser: '603-RC0603FR-0710KL', LCSC: '',
      Unit: 'pcs', 'Qty per unit': '6', Supplier: 'Digi-Key', SKU: '311-10.0KHRCT-ND', Region: 'EU', 'Buy qty': '30',
      'Unit price': '0.05', Currency: 'EUR', 'Extended price': '1.5', 'Lead time (days)': '',
      Alternatives: 'Vishay CRCW060310K0FKEA (drop-in)',
      'Where used': 'k/top@1.0.0 > board ×2 > k/board@1.0.0 > r (×6)',
      Notes: '',
    });
    const mcu = rows[2]!;
    expect([mcu[7], mcu[14], mcu[15], mcu[16], mcu[17]]).toEqual(['C5299908', '1.2', 'USD', '12', '14']);
  });

  it('neutralises formulas in text cells; leaves unpriced lines with empty price cells', async () => {
    const rows: string[][] = parse(bomToCsv(await costing()));
    expect(rows[3]![2]).toBe('\'=HYPERLINK("http://evil")');
    const frame = rows[4]!;
    expect([frame[2], frame[10], frame[14], frame[16], frame[20]]).toEqual(['Frame, plywood', '', '', '', 'unpriced']);
    expect(safeCell('-1+2')).toBe("'-1+2");
    expect(safeCell('M8 bolt')).toBe('M8 bolt');
  });

  it('maps supplier spellings to the 1-click-BOM retailer columns', () => {
    expect(['Digi-Key', 'DigiKey', 'RS Components', 'element14', 'Farnell', 'newark', 'LCSC', 'Würth'].map(kitspaceRetailer))
      .toEqual(['Digikey', 'Digikey', 'RS', 'Farnell', 'Farnell', 'Newark', 'LCSC', undefined]);
  });
});

describe('bomToTable', () => {
  it('shows lines, per-currency totals, lead time, unpriced, not fitted and the purchasing list', async () => {
    const t = bomToTable(await costing(), 100);
    expect(t).toContain('BOM of k/top@1.0.0 for a batch of 5');
    expect(t).toMatch(/^1\s+30\s+pcs\s+Resistor 10k 0603\s+RC0603FR-0710KL\s+Digi-Key\s+0.05\s+1.50\s+EUR$/m);
    // EUR: 1.50 + 10.00 = 11.50 (2.30 per unit); USD: 12.00 (2.40 per unit)
    expect(t).toContain('  EUR 11.50  (2.30 per unit, 2 lines)');
    expect(t).toContain('  USD 12.00  (2.40 per unit, 1 line)');
    expect(t).toContain('currencies are not added up: pass exchange rates to convert');
    expect(t).toContain('Longest lead time: 14 days (MCU)');
    expect(t).toContain('Unpriced:\n  5 pcs  Frame, plywood  (no offers)');
    expect(t).toContain('Not fitted (not bought):\n  1 pcs per unit  Spare fuse');
    expect(t).toContain('  LCSC: USD 12.00, up to 14d\n    10 pcs  C5299908  MCU  12.00 USD');
    expect(t).toContain('#1 alternatives: Vishay CRCW060310K0FKEA (drop-in)');
  });
});
