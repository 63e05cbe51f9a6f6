/**
 * Costing an exploded BOM for a batch of N top-level units.
 *
 * Quantities
 * - needed = quantity per unit × batch, computed exactly; lines in `pcs` are then rounded UP to
 *   whole pieces (3.3 pcs per unit × 10 = 33; 1.05 × 3 = 3.15 → 4). Continuous units (mm, m, g,
 *   kg, ml, l, m2) keep their decimals.
 *
 * One offer (`evaluateOffer`)
 * - Price breaks are sorted by qty; invalid ones (qty ≤ 0, price < 0) are ignored. No usable
 *   break → the offer is unpriced.
 * - You cannot buy less than the MOQ, nor less than the smallest break (it is an implicit MOQ):
 *   buy = max(needed, moq, smallest break qty); the applicable break is the one with the largest
 *   qty ≤ buy; extended = buy × its price. A note says why more than needed is bought.
 * - Buy-up: if buying exactly a higher break's qty costs less in total (need 95 at 0.10 = 9.50,
 *   100 at 0.09 = 9.00), that break is bought instead, and a note says so. Ties keep the smaller
 *   quantity.
 *
 * Choosing among a line's offers (never a silent currency conversion)
 * - Without rates: offers are compared only within one currency: the requested `currency` if any
 *   priced offer is in it, otherwise the currency of the first priced offer. Offers in other
 *   currencies are listed as not compared. Lowest extended price wins; ties keep BOM order.
 * - With rates (`ExchangeRates`, ECB style: 1 `base` = `rates[X]` X): every offer whose currency
 *   has a rate is converted to the target currency (`currency`, default `rates.base`) and the
 *   lowest converted extended price wins. The costing says so (`converted`), with the rates used.
 *
 * Money: each extended price is rounded half away from zero to 4 decimals, in its own currency;
 * totals per currency are exact sums of those (see decimal.ts). Converted amounts are rounded to
 * 4 decimals per line and the converted total is their exact sum.
 *
 * Errors: batch not a positive whole number, a malformed currency code or rates → INVALID_REQUEST.
 */
import { OhwError } from '../errors.ts';
import { divRound, extendedPrice, money, toScaled, MONEY_DECIMALS } from './decimal.ts';
import type { ExplodedBom } from './explode.ts';
import type { BomCosting, CostedLine, CostOptions, CurrencyTotal, SupplierGroup, UnpricedLine } from './cost-types.ts';
import { checkCurrency, convertUnits, parseRates, rateOf } from './currency.ts';
import { neededQuantity, priceOffer, type Priced } from './offer-price.ts';

// One import path for callers: the types, rates and offer pricing are re-exported from here.
export type * from './cost-types.ts';
export { parseRates };
export { evaluateOffer, neededQuantity } from './offer-price.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function costBatch(bom: ExplodedBom, opts: CostOptions): BomCosting {
  const { batch } = opts;
  if (typeof batch !== 'number' || !Number.isSafeInteger(batch) || batch <= 0) {
    throw new OhwError('INVALID_REQUEST', `batch must be a whole number ≥ 1 (got ${String(batch)})`, { details: { batch } });
  }
  const rates = opts.rates ? parseRates(opts.rates) : undefined;
  const requested = opts.currency !== undefined ? checkCurrency(opts.currency, 'currency') : undefined;
  const target = rates ? (requested ?? rates.base) : requested;
  if (rates && target && rateOf(rates, target) === undefined) {
    throw new OhwError('INVALID_REQUEST', `the exchange rates have no rate for ${target} (base ${rates.base})`);
  }

  const lines: CostedLine[] = [];
  const unpriced: UnpricedLine[] = [];
  const totals = new Map<string, { units: bigint; lines: number }>();
  let convertedUnits = 0n;
  const missing = new Set<string>();
  const usedRates: Record<string, number> = {};

  for (const line of bom.lines) {
    const { quantity, ...rest } = line;
    const needed = neededQuantity(quantity, batch, line.unit);
    const costed: CostedLine = { ...rest, quantityPerUnit: quantity, needed, pricingNotes: [] };
    lines.push(costed);

    const priced: Priced[] = [];
    line.offers.forEach((o, i) => {
      const p = priceOffer(o, needed, i);
      if (p) priced.push(p);
      else costed.pricingNotes.push(`offer from ${o.supplier} has no usable price break`);
    });
    if (priced.length === 0) {
      const reason = line.offers.length === 0 ? 'no offers' : 'no offer has a usable price break';
      unpriced.push({ key: line.key, id: line.id, name: line.name, unit: line.unit, needed, reason });
      continue;
    }

    let chosen: Priced | undefined;
    let chosenConverted: bigint | undefined;
    if (rates && target) {
      for (const p of priced) {
        const c = convertUnits(p.units, p.price.currency, target, rates);
        if (c === undefined) { costed.pricingNotes.push(`offer from ${p.price.supplier} in ${p.price.currency} not compared: no exchange rate`); continue; }
        if (chosenConverted === undefined || c < chosenConverted) { chosen = p; chosenConverted = c; }
      }
    }
    if (!chosen) {
      // No rates (or none applicable): compare within one currency only.
      const cur = requested && priced.some((p) => p.price.currency === requested) ? requested : priced[0]!.price.currency;
      const others = new Map<string, number>();
      for (const p of priced) {
        if (p.price.currency !== cur) { others.set(p.price.currency, (others.get(p.price.currency) ?? 0) + 1); continue; }
        if (!chosen || p.units < chosen.units) chosen = p;
      }
      if (!rates) {
        for (const [c, n] of others) costed.pricingNotes.push(`${plural(n, 'offer')} in ${c} not compared with ${cur} (no exchange rates given)`);
      }
    }
    const c = chosen!;
    costed.chosen = c.price;
    const t = totals.get(c.price.currency) ?? { units: 0n, lines: 0 };
    t.units += c.units;
    t.lines++;
    totals.set(c.price.currency, t);
    if (rates && target) {
      const conv = chosenConverted ?? convertUnits(c.units, c.price.currency, target, rates);
      if (conv === undefined) missing.add(c.price.currency);
      else {
        costed.converted = { currency: target, extendedPrice: money(conv) };
        convertedUnits += conv;
        for (const cur of [c.price.currency, target]) {
          const r = rateOf(rates, cur);
          if (r !== undefined) usedRates[cur] = r;
        }
      }
    }
  }

  const perUnit = (units: bigint): number => money(divRound(units, BigInt(batch)));
  const totalList: CurrencyTotal[] = [...totals]
    .sort(([a], [b]) => (a === requested ? -1 : b === requested ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, t]) => ({ currency, amount: money(t.units), perUnit: perUnit(t.units), lines: t.lines }));

  // Lead times.
  let maxLead: number | undefined;
  let maxLeadLines: string[] = [];
  const leadUnknown: string[] = [];
  for (const l of lines) {
    if (!l.chosen) continue;
    const d = l.chosen.leadTimeDays;
    if (d === undefined) { leadUnknown.push(l.name); continue; }
    if (maxLead === undefined || d > maxLead) { maxLead = d; maxLeadLines = [l.name]; }
    else if (d === maxLead) maxLeadLines.push(l.name);
  }

  const costing: BomCosting = {
    root: bom.root,
    batch,
    ...(target ? { currency: target } : {}),
    lines,
    notFitted: bom.notFitted,
    unpriced,
    totals: totalList,
    ...(maxLead !== undefined ? { maxLeadTimeDays: maxLead } : {}),
    maxLeadTimeLines: maxLeadLines,
    leadTimeUnknown: leadUnknown,
    purchasing: purchasingList(lines),
    warnings: [...bom.warnings],
  };
  if (rates && target) {
    const from = Object.keys(usedRates).filter((c) => c !== target).sort();
    const dated = rates.date ? ` dated ${rates.date}` : '';
    const src = rates.source ? ` (${rates.source})` : '';
    costing.converted = {
      currency: target,
      amount: money(convertedUnits),
      perUnit: perUnit(convertedUnits),
      base: rates.base,
      rates: usedRates,
      ...(rates.date ? { date: rates.date } : {}),
      ...(rates.source ? { source: rates.source } : {}),
      missing: [...missing].sort(),
      note: from.length
        ? `converted to ${target} from ${from.join(', ')} with the given exchange rates${dated}${src}, 1 ${rates.base} = ${from.map((c) => `${usedRates[c]} ${c}`).join(', ')}`
        : `all chosen offers are in ${target}; nothing converted`,
    };
    if (missing.size) costing.warnings.push(`no exchange rate for ${[...missing].sort().join(', ')}: those lines are not in the ${target} total`);
  }
  return costing;
}

/** Chosen offers grouped by supplier (case-insensitive) and region, sorted by supplier, region. */
function purchasingList(lines: CostedLine[]): SupplierGroup[] {
  const groups = new Map<string, { g: SupplierGroup; sub: Map<string, bigint> }>();
  for (const l of lines) {
    const c = l.chosen;
    if (!c) continue;
    const k = `${c.supplier.trim().toLowerCase()}\u0000${(c.region ?? '').trim().toUpperCase()}`;
    let entry = groups.get(k);
    if (!entry) {
      entry = { g: { supplier: c.supplier.trim(), ...(c.region ? { region: c.region.trim() } : {}), lines: [], subtotals: [] }, sub: new Map() };
      groups.set(k, entry);
    }
    entry.g.lines.push({
      key: l.key, name: l.name,
      ...(l.manufacturer !== undefined ? { manufacturer: l.manufacturer } : {}),
      ...(l.mpn !== undefined ? { mpn: l.mpn } : {}),
      ...(c.sku !== undefined ? { sku: c.sku } : {}),
      ...(c.url !== undefined ? { url: c.url } : {}),
      unit: l.unit, needed: l.needed, buyQuantity: c.buyQuantity, unitPrice: c.unitPrice,
      currency: c.currency, extendedPrice: c.extendedPrice,
      ...(c.leadTimeDays !== undefined ? { leadTimeDays: c.leadTimeDays } : {}),
    });
    entry.sub.set(c.currency, (entry.sub.get(c.currency) ?? 0n) + toScaled(c.extendedPrice, MONEY_DECIMALS));
    if (c.leadTimeDays !== undefined) entry.g.maxLeadTimeDays = Math.max(entry.g.maxLeadTimeDays ?? 0, c.leadTimeDays);
  }
  const cmp = (a: string, b: string): number => a.localeCompare(b, 'en', { sensitivity: 'base' });
  return [...groups.values()]
    .map(({ g, sub }) => ({ ...g, subtotals: [...sub].sort(([a], [b]) => cmp(a, b)).map(([currency, u]) => ({ currency, amount: money(u) })) }))
    .sort((a, b) => cmp(a.supplier, b.supplier) || cmp(a.region ?? '', b.region ?? ''));
}
