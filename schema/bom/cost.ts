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
import type { Offer, Unit } from '../types.ts';
import { divCeil, divRound, extendedPrice, fromScaled, money, pow10, QTY_DECIMALS, toScaled, MONEY_DECIMALS } from './decimal.ts';
import type { ExplodedBom, ExplodedLine } from './explode.ts';

export interface ExchangeRates {
  /** 1 `base` = `rates[X]` units of X (the ECB / most FX feeds' convention). */
  base: string;
  rates: Record<string, number>;
  /** Informational, echoed in the output (`2025-01-31`, `ECB`). */
  date?: string;
  source?: string;
}

export interface CostOptions {
  batch: number;
  /** ISO 4217; preferred currency without rates, target currency with rates. */
  currency?: string;
  rates?: ExchangeRates;
}

/** The result of pricing one offer for a needed quantity. */
export interface OfferPrice {
  supplier: string;
  sku?: string;
  url?: string;
  region?: string;
  currency: string;
  moq?: number;
  leadTimeDays?: number;
  /** The price break applied (its `qty`) and its unit price. */
  breakQty: number;
  unitPrice: number;
  /** What is bought: ≥ needed (MOQ, smallest break, or buy-up). */
  buyQuantity: number;
  extendedPrice: number;
  /** Why buyQuantity ≠ needed, in words. */
  notes: string[];
}

export interface CostedLine extends Omit<ExplodedLine, 'quantity'> {
  quantityPerUnit: number;
  /** For the batch; whole pieces for `pcs`. */
  needed: number;
  chosen?: OfferPrice;
  /** Present only with rates: the chosen extended price in the target currency. */
  converted?: { currency: string; extendedPrice: number };
  /** Offers not compared or not usable, and why. */
  pricingNotes: string[];
}

export interface CurrencyTotal { currency: string; amount: number; perUnit: number; lines: number }

export interface UnpricedLine { key: string; id: string; name: string; unit: Unit; needed: number; reason: string }

export interface PurchaseLine {
  key: string;
  name: string;
  manufacturer?: string;
  mpn?: string;
  sku?: string;
  url?: string;
  unit: Unit;
  needed: number;
  buyQuantity: number;
  unitPrice: number;
  currency: string;
  extendedPrice: number;
  leadTimeDays?: number;
}

export interface SupplierGroup {
  supplier: string;
  region?: string;
  lines: PurchaseLine[];
  subtotals: Array<{ currency: string; amount: number }>;
  maxLeadTimeDays?: number;
}

export interface BomCosting {
  root: string;
  batch: number;
  currency?: string;
  lines: CostedLine[];
  notFitted: ExplodedLine[];
  unpriced: UnpricedLine[];
  /** Per currency of the chosen offers, requested currency first. Never mixed. */
  totals: CurrencyTotal[];
  /** Only with rates: everything convertible, in one currency, and how. */
  converted?: {
    currency: string;
    amount: number;
    perUnit: number;
    base: string;
    /** The rates actually used (currency → units per 1 base). */
    rates: Record<string, number>;
    date?: string;
    source?: string;
    /** Currencies of chosen offers that had no rate: not included in `amount`. */
    missing: string[];
    note: string;
  };
  /** Longest lead time among chosen offers, and which lines have it. */
  maxLeadTimeDays?: number;
  maxLeadTimeLines: string[];
  /** Priced lines whose chosen offer states no lead time. */
  leadTimeUnknown: string[];
  purchasing: SupplierGroup[];
  warnings: string[];
}

const CURRENCY = /^[A-Z]{3}$/;

function checkCurrency(c: string, what: string): string {
  const u = typeof c === 'string' ? c.trim().toUpperCase() : '';
  if (!CURRENCY.test(u)) throw new OhwError('INVALID_REQUEST', `${what} must be an ISO 4217 code such as EUR (got "${String(c)}")`);
  return u;
}

/**
 * Reads rates from a `--rates` file's JSON (`{"base": "EUR", "rates": {"USD": 1.08}}`) or from a
 * `?rates=USD:1.08,GBP:0.85` query value (then `base` is required: the request's currency).
 */
export function parseRates(input: unknown, base?: string): ExchangeRates {
  const bad = (why: string): never => { throw new OhwError('INVALID_REQUEST', `invalid exchange rates: ${why}`); };
  if (typeof input === 'string') {
    if (!base) bad('a base currency is needed with rates given as CODE:rate pairs (set currency)');
    const rates: Record<string, number> = {};
    for (const pair of input.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^([A-Za-z]{3})\s*[:=]\s*([0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?)$/.exec(pair);
      if (!m) bad(`"${pair}" is not CODE:rate`);
      rates[m![1]!.toUpperCase()] = Number(m![2]);
    }
    return parseRates({ base, rates });
  }
  if (!input || typeof input !== 'object') bad('expected {"base": "EUR", "rates": {"USD": 1.08, …}}');
  const o = input as Record<string, unknown>;
  if (typeof o.base !== 'string' || !CURRENCY.test(o.base.toUpperCase())) bad('base must be an ISO 4217 code');
  if (!o.rates || typeof o.rates !== 'object') bad('rates must be an object of CODE: rate');
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.rates as Record<string, unknown>)) {
    if (!CURRENCY.test(k.toUpperCase())) bad(`"${k}" is not an ISO 4217 code`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(`rate for ${k} must be a positive number`);
    out[k.toUpperCase()] = v as number;
  }
  const res: ExchangeRates = { base: (o.base as string).toUpperCase(), rates: out };
  if (typeof o.date === 'string') res.date = o.date;
  if (typeof o.source === 'string') res.source = o.source;
  return res;
}

/** Units of `c` per 1 base, or undefined when there is no rate. */
function rateOf(r: ExchangeRates, c: string): number | undefined {
  return c === r.base ? 1 : r.rates[c];
}

/** money units (scale 4) in `from` → `to`. */
function convertUnits(amount: bigint, from: string, to: string, r: ExchangeRates): bigint | undefined {
  if (from === to) return amount;
  const rf = rateOf(r, from);
  const rt = rateOf(r, to);
  if (rf === undefined || rt === undefined) return undefined;
  return divRound(amount * toScaled(rt, QTY_DECIMALS), toScaled(rf, QTY_DECIMALS));
}

/** Quantity needed for the batch: exact product, rounded up to whole pieces for `pcs`. */
export function neededQuantity(perUnit: number, batch: number, unit: Unit): number {
  const scaled = toScaled(perUnit, QTY_DECIMALS) * BigInt(batch);
  if (unit === 'pcs') return Number(divCeil(scaled, pow10(QTY_DECIMALS)));
  return fromScaled(scaled, QTY_DECIMALS);
}

interface Priced { price: OfferPrice; units: bigint; index: number }

/** Prices one offer for `needed` (see module comment). `undefined` when it has no usable break. */
export function evaluateOffer(offer: Offer, needed: number): OfferPrice | undefined {
  return priceOffer(offer, needed)?.price;
}

function priceOffer(offer: Offer, needed: number, index = 0): Priced | undefined {
  const breaks = (offer.priceBreaks ?? [])
    .filter((b) => Number.isFinite(b.qty) && b.qty > 0 && Number.isFinite(b.price) && b.price >= 0)
    .sort((a, b) => a.qty - b.qty);
  const first = breaks[0];
  if (!first) return undefined;
  const moq = offer.moq !== undefined && offer.moq > 0 ? offer.moq : 0;
  const minBuy = Math.max(needed, moq, first.qty);
  const notes: string[] = [];
  if (minBuy > needed) {
    if (moq >= first.qty && moq > needed) notes.push(`MOQ ${moq}: buying ${moq} where ${needed} are needed`);
    else notes.push(`smallest price break is ${first.qty}: buying ${first.qty} where ${needed} are needed`);
  }
  let applicable = first;
  for (const b of breaks) if (b.qty <= minBuy) applicable = b;
  let best = { buy: minBuy, brk: applicable, units: extendedPrice(minBuy, applicable.price) };
  const base = best;
  for (const b of breaks) {
    if (b.qty <= minBuy) continue;
    const units = extendedPrice(b.qty, b.price);
    if (units < best.units) best = { buy: b.qty, brk: b, units };
  }
  if (best !== base) {
    notes.push(`buying ${best.buy} (the ${best.brk.qty}+ break) costs ${money(best.units)} ${offer.currency}, less than ${money(base.units)} for ${minBuy}`);
  }
  const price: OfferPrice = {
    supplier: offer.supplier,
    ...(offer.sku !== undefined ? { sku: offer.sku } : {}),
    ...(offer.url !== undefined ? { url: offer.url } : {}),
    ...(offer.region !== undefined ? { region: offer.region } : {}),
    currency: offer.currency.trim().toUpperCase(),
    ...(offer.moq !== undefined ? { moq: offer.moq } : {}),
    ...(offer.leadTimeDays !== undefined ? { leadTimeDays: offer.leadTimeDays } : {}),
    breakQty: best.brk.qty,
    unitPrice: best.brk.price,
    buyQuantity: best.buy,
    extendedPrice: money(best.units),
    notes,
  };
  return { price, units: best.units, index };
}

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
