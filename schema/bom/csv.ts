/**
 * CSV of a costed BOM, for spreadsheets and Kitspace-style one-click-BOM tools.
 *
 * One row per fitted exploded line (not-fitted lines are not bought and are left out; unpriced
 * lines are included with empty price cells). RFC 4180: comma separated, `"` quoting, `\n`
 * line ends, UTF-8 without BOM, header row first. Numbers are plain decimals (`.` separator, no
 * thousands separator). Text cells beginning with `=`, `+`, `-`, `@`, tab or CR are prefixed
 * with `'` so a spreadsheet never evaluates a design's text as a formula (CSV injection).
 *
 * Columns, in order:
 *   References       designators, `, `-separated (Kitspace / 1-click BOM)
 *   Qty              quantity to buy for the batch: needed × batch, whole pieces for pcs
 *                    (Kitspace reads it per kit; with `--batch 1` it is per unit)
 *   Description      the line's name
 *   Manufacturer     (Kitspace)
 *   MPN              (Kitspace)
 *   Digikey, Mouser, RS, Newark, Farnell, LCSC
 *                    the 1-click-BOM retailer columns: the SKU of that retailer's offer on the
 *                    line. Only retailers that occur in the BOM get a column (fixed order).
 *                    Suppliers are matched case- and punctuation-insensitively (`Digi-Key`,
 *                    `RS Components`, `element14` → Farnell).
 *   Unit             pcs, mm, m, g, kg, ml, l, m2
 *   Qty per unit     per one top-level unit, after attrition
 *   Supplier         supplier of the chosen offer
 *   SKU              its SKU
 *   Region           its region
 *   Buy qty          what is ordered (≥ Qty: MOQ, smallest break, buy-up)
 *   Unit price       price of the applied break, in Currency
 *   Currency         ISO 4217
 *   Extended price   Buy qty × Unit price, 4 decimals
 *   Converted price  with exchange rates only: Extended price in the target currency
 *   Lead time (days) of the chosen offer
 *   Alternatives     `manufacturer mpn (compatibility)`, `; `-separated
 *   Where used       where-from paths with quantities, `; `-separated
 *   Notes            why more is bought than needed, offers not compared, line notes
 */
import { stringify } from 'csv-stringify/sync';
import type { BomCosting, CostedLine } from './cost.ts';
import { formatQty } from './decimal.ts';

export const KITSPACE_RETAILERS = ['Digikey', 'Mouser', 'RS', 'Newark', 'Farnell', 'LCSC'] as const;
export type KitspaceRetailer = (typeof KITSPACE_RETAILERS)[number];

const RETAILER_ALIASES: Record<string, KitspaceRetailer> = {
  digikey: 'Digikey', digikeyelectronics: 'Digikey',
  mouser: 'Mouser', mouserelectronics: 'Mouser',
  rs: 'RS', rscomponents: 'RS', rsonline: 'RS', rsdelivers: 'RS',
  newark: 'Newark',
  farnell: 'Farnell', element14: 'Farnell', farnellelement14: 'Farnell',
  lcsc: 'LCSC', lcscelectronics: 'LCSC',
};

export function kitspaceRetailer(supplier: string): KitspaceRetailer | undefined {
  return RETAILER_ALIASES[supplier.toLowerCase().replace(/[^a-z0-9]/g, '')];
}

/** Neutralises spreadsheet formulas in untrusted text. */
export function safeCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const num = (x: number | undefined): string => (x === undefined ? '' : formatQty(x));

function retailerSkus(line: CostedLine): Map<KitspaceRetailer, string> {
  const out = new Map<KitspaceRetailer, string>();
  for (const o of line.offers) {
    const r = kitspaceRetailer(o.supplier);
    if (r && o.sku && !out.has(r)) out.set(r, o.sku);
  }
  return out;
}

export function bomToCsv(costing: BomCosting): string {
  const skus = costing.lines.map(retailerSkus);
  const retailers = KITSPACE_RETAILERS.filter((r) => skus.some((m) => m.has(r)));
  const converted = costing.converted !== undefined;
  const header = [
    'References', 'Qty', 'Description', 'Manufacturer', 'MPN', ...retailers,
    'Unit', 'Qty per unit', 'Supplier', 'SKU', 'Region', 'Buy qty', 'Unit price', 'Currency', 'Extended price',
    ...(converted ? ['Converted price'] : []),
    'Lead time (days)', 'Alternatives', 'Where used', 'Notes',
  ];
  const rows = costing.lines.map((l, i) => {
    const c = l.chosen;
    const notes = [...(c ? c.notes : ['unpriced']), ...l.pricingNotes, ...(l.notes ? [l.notes] : [])];
    const text = (s: string | undefined): string => safeCell(s ?? '');
    return [
      text(l.references.join(', ')), num(l.needed), text(l.name), text(l.manufacturer), text(l.mpn),
      ...retailers.map((r) => text(skus[i]!.get(r))),
      l.unit, num(l.quantityPerUnit), text(c?.supplier), text(c?.sku), text(c?.region), num(c?.buyQuantity),
      num(c?.unitPrice), c?.currency ?? '', num(c?.extendedPrice),
      ...(converted ? [num(l.converted?.extendedPrice)] : []),
      num(c?.leadTimeDays),
      text(l.alternatives.map((a) => `${a.manufacturer ? `${a.manufacturer} ` : ''}${a.mpn} (${a.compatibility})`).join('; ')),
      text(l.from.map((f) => `${f.path} (×${formatQty(f.quantity)})`).join('; ')),
      text(notes.join('; ')),
    ];
  });
  return stringify([header, ...rows], { record_delimiter: 'unix' });
}
