/**
 * Plain-text rendering of a costed BOM for `ohw bom --format table` (the default on a TTY).
 * Sections: lines, totals (per currency, then converted when rates were given), lead time,
 * unpriced lines, not-fitted lines, purchasing list by supplier and region, warnings.
 * Only `Description` is shortened (with `…`) to fit `width`; the other columns keep their text.
 */
import type { BomCosting } from './cost.ts';
import { formatMoney, formatQty } from './decimal.ts';

function pad(s: string, w: number, right = false): string {
  if (s.length >= w) return s;
  return right ? ' '.repeat(w - s.length) + s : s + ' '.repeat(w - s.length);
}

function clip(s: string, w: number): string {
  return s.length <= w ? s : `${s.slice(0, Math.max(0, w - 1))}…`;
}

/** Renders rows as aligned columns; `right[i]` right-aligns column i; `flex` is the clipped one. */
function grid(rows: string[][], right: boolean[], width: number, flex: number): string[] {
  const n = rows[0]?.length ?? 0;
  const widths = Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (n - 1);
  if (total > width && widths[flex] !== undefined) widths[flex] = Math.max(12, widths[flex]! - (total - width));
  return rows.map((r) => r.map((c, i) => pad(i === flex ? clip(c, widths[i]!) : c, widths[i]!, right[i])).join('  ').trimEnd());
}

export function bomToTable(costing: BomCosting, width = 120): string {
  const out: string[] = [];
  out.push(`BOM of ${costing.root} for a batch of ${costing.batch}`);
  out.push('');
  const rows: string[][] = [['#', 'Qty', 'Unit', 'Description', 'MPN', 'Supplier', 'Unit price', 'Extended', 'Cur', 'Lead']];
  costing.lines.forEach((l, i) => {
    const c = l.chosen;
    rows.push([
      String(i + 1), formatQty(l.needed), l.unit, l.name, l.mpn ?? '',
      c ? c.supplier : '(unpriced)',
      c ? formatMoney(c.unitPrice, 2) : '', c ? formatMoney(c.extendedPrice) : '', c?.currency ?? '',
      c?.leadTimeDays !== undefined ? `${c.leadTimeDays}d` : '',
    ]);
  });
  out.push(...grid(rows, [true, true, false, false, false, false, true, true, false, true], width, 3));
  // Buy-more notes and alternatives under the table, numbered like the lines.
  const notes: string[] = [];
  costing.lines.forEach((l, i) => {
    for (const n of [...(l.chosen?.notes ?? []), ...l.pricingNotes]) notes.push(`  #${i + 1} ${n}`);
    if (l.alternatives.length) notes.push(`  #${i + 1} alternatives: ${l.alternatives.map((a) => `${a.manufacturer ? `${a.manufacturer} ` : ''}${a.mpn} (${a.compatibility})`).join(', ')}`);
  });
  if (notes.length) out.push('', 'Notes:', ...notes);

  out.push('', 'Totals:');
  if (costing.totals.length === 0) out.push('  (nothing priced)');
  for (const t of costing.totals) {
    out.push(`  ${t.currency} ${formatMoney(t.amount)}  (${formatMoney(t.perUnit)} per unit, ${t.lines} line${t.lines === 1 ? '' : 's'})`);
  }
  if (costing.totals.length > 1 && !costing.converted) out.push('  currencies are not added up: pass exchange rates to convert');
  if (costing.converted) {
    const cv = costing.converted;
    out.push(`  converted: ${cv.currency} ${formatMoney(cv.amount)}  (${formatMoney(cv.perUnit)} per unit)`);
    out.push(`  ${cv.note}`);
  }
  if (costing.maxLeadTimeDays !== undefined) {
    out.push('', `Longest lead time: ${costing.maxLeadTimeDays} days (${costing.maxLeadTimeLines.join(', ')})`);
  }
  if (costing.leadTimeUnknown.length) out.push(`Lead time unknown: ${costing.leadTimeUnknown.join(', ')}`);
  if (costing.unpriced.length) {
    out.push('', 'Unpriced:');
    for (const u of costing.unpriced) out.push(`  ${formatQty(u.needed)} ${u.unit}  ${u.name}  (${u.reason})`);
  }
  if (costing.notFitted.length) {
    out.push('', 'Not fitted (not bought):');
    for (const l of costing.notFitted) out.push(`  ${formatQty(l.quantity)} ${l.unit} per unit  ${l.name}${l.references.length ? `  [${l.references.join(', ')}]` : ''}`);
  }
  if (costing.purchasing.length) {
    out.push('', 'Purchasing list:');
    for (const g of costing.purchasing) {
      const sub = g.subtotals.map((s) => `${s.currency} ${formatMoney(s.amount)}`).join(' + ');
      const lead = g.maxLeadTimeDays !== undefined ? `, up to ${g.maxLeadTimeDays}d` : '';
      out.push(`  ${g.supplier}${g.region ? ` (${g.region})` : ''}: ${sub}${lead}`);
      for (const p of g.lines) {
        const ref = p.sku ?? p.mpn;
        out.push(`    ${formatQty(p.buyQuantity)} ${p.unit}  ${ref ? `${ref}  ` : ''}${p.name}  ${formatMoney(p.extendedPrice)} ${p.currency}`);
      }
    }
  }
  if (costing.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of costing.warnings) out.push(`  ${w}`);
  }
  return `${out.join('\n')}\n`;
}
