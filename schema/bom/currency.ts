/**
 * Currency codes and exchange rates for costing (schema/bom/cost.ts): parse rates given as JSON
 * or as `CODE:rate` pairs, and convert money units between currencies. ECB style: 1 `base` =
 * `rates[X]` X.
 */
import { OhwError } from '../errors.ts';
import { divRound, QTY_DECIMALS, toScaled } from './decimal.ts';
import type { ExchangeRates } from './cost-types.ts';

const CURRENCY = /^[A-Z]{3}$/;

export function checkCurrency(c: string, what: string): string {
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
export function rateOf(r: ExchangeRates, c: string): number | undefined {
  return c === r.base ? 1 : r.rates[c];
}

/** money units (scale 4) in `from` → `to`. */
export function convertUnits(amount: bigint, from: string, to: string, r: ExchangeRates): bigint | undefined {
  if (from === to) return amount;
  const rf = rateOf(r, from);
  const rt = rateOf(r, to);
  if (rf === undefined || rt === undefined) return undefined;
  return divRound(amount * toScaled(rt, QTY_DECIMALS), toScaled(rf, QTY_DECIMALS));
}
