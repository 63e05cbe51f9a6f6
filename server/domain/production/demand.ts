/**
 * Demand meets cost. The public sees pledges only as aggregates per region: pledgers, units and the
 * price ceilings as a distribution per currency. Each region's demand is set against the design's
 * batch-cost curve, computed by the one BOM costing (`schema/bom/cost.ts` over the exploded BOM):
 * the unit cost at today's pledged quantity, and the next batch size at which a price break lowers
 * it ("12 more units → unit cost 412 EUR, under 60% of the ceilings").
 */
import { costBatch } from '../../../schema/bom/cost.ts';
import type { ExplodedBom } from '../../../schema/bom/explode.ts';

export interface CeilingStats { currency: string; count: number; min: number; median: number; max: number }

export interface RegionDemand {
  region: string;
  pledgers: number;
  units: number;
  ceilings: CeilingStats[];
  unitCost: UnitCost | null;
  nextBreak: NextBreak | null;
}

export interface UnitCost {
  amount: number;
  currency: string;
  /** Lines priced in other currencies, left out (no exchange rates): the cost is a lower bound. */
  otherCurrencies: string[];
  unpricedLines: number;
}

export interface NextBreak {
  /** More units needed beyond today's pledges. */
  moreUnits: number;
  batch: number;
  unitCost: number;
  currency: string;
  /** Share of the ceilings (in that currency) at or above that unit cost, 0–100. */
  underCeilingsPercent: number | null;
  /** "12 more units → unit cost 412 EUR, under 60% of the ceilings" */
  text: string;
}

/** Sorted ceilings of one currency → min / median / max. */
export function ceilingStats(currency: string, sorted: readonly number[]): CeilingStats {
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { currency, count: n, min: sorted[0]!, median: round2(median), max: sorted[n - 1]! };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The currency demand is most often priced in; else the BOM's currency with most priced lines. */
export function demandCurrency(ceilings: readonly CeilingStats[], bom: ExplodedBom): string | undefined {
  const best = [...ceilings].sort((a, b) => b.count - a.count || (a.currency < b.currency ? -1 : 1))[0];
  if (best) return best.currency;
  const counts = new Map<string, number>();
  for (const l of bom.lines) for (const c of new Set(l.offers.map((o) => o.currency.toUpperCase()))) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

export function unitCostAt(bom: ExplodedBom, batch: number, currency: string): UnitCost | null {
  const c = costBatch(bom, { batch, currency });
  const mine = c.totals.find((t) => t.currency === currency);
  if (!mine) return null;
  return {
    amount: round2(mine.perUnit),
    currency,
    otherCurrencies: c.totals.filter((t) => t.currency !== currency).map((t) => t.currency),
    unpricedLines: c.unpriced.length,
  };
}

/** Batch sizes at which some line reaches a price break (needed = per-unit quantity × batch). */
export function breakBatches(bom: ExplodedBom, above: number, max = 1_000_000): number[] {
  const out = new Set<number>();
  for (const l of bom.lines) {
    if (!(l.quantity > 0)) continue;
    for (const o of l.offers) {
      for (const b of o.priceBreaks) {
        const n = Math.ceil(b.qty / l.quantity - 1e-9);
        if (n > above && n <= max) out.add(n);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The batch-cost curve of one BOM in one currency: unit costs memoised by batch size, and the
 * batch sizes where a price break applies. Regions share it, so 200 regions cost about as much as
 * one region plus one costing per distinct pledged quantity.
 */
export class CostCurve {
  readonly #memo = new Map<number, UnitCost | null>();
  #breaks?: number[];
  constructor(readonly bom: ExplodedBom, readonly currency: string, readonly maxProbes = 40) {}

  at(batch: number): UnitCost | null {
    let v = this.#memo.get(batch);
    if (v === undefined) this.#memo.set(batch, (v = unitCostAt(this.bom, batch, this.currency)));
    return v;
  }

  breaksAbove(units: number): number[] {
    this.#breaks ??= breakBatches(this.bom, 0);
    return this.#breaks.filter((b) => b > units).slice(0, this.maxProbes);
  }
}

/** The first batch above `units` whose unit cost is lower than at `units`, with how it meets the ceilings. */
export function nextBreak(bomOrCurve: ExplodedBom | CostCurve, units: number, currency: string, ceilingsSorted: readonly number[]): NextBreak | null {
  const curve = bomOrCurve instanceof CostCurve ? bomOrCurve : new CostCurve(bomOrCurve, currency);
  const now = curve.at(Math.max(1, units));
  if (!now) return null;
  for (const batch of curve.breaksAbove(Math.max(1, units))) {
    const at = curve.at(batch);
    if (!at || at.amount >= now.amount) continue;
    const covering = ceilingsSorted.length - lowerBound(ceilingsSorted, at.amount);
    const pct = ceilingsSorted.length ? Math.round((100 * covering) / ceilingsSorted.length) : null;
    const more = batch - units;
    return {
      moreUnits: more,
      batch,
      unitCost: at.amount,
      currency,
      underCeilingsPercent: pct,
      text: `${more} more unit${more === 1 ? '' : 's'} → unit cost ${at.amount} ${currency}${pct === null ? '' : `, under ${pct}% of the ceilings`}`,
    };
  }
  return null;
}

/** Index of the first value ≥ x in an ascending list. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface RegionRow { region: string; pledgers: number; units: number }

/** Put the per-region rows, ceilings and cost curve together; regions by units, descending. */
export function aggregateDemand(
  rows: readonly RegionRow[],
  ceilings: ReadonlyMap<string, ReadonlyMap<string, number[]>>,
  bom: ExplodedBom | undefined,
): RegionDemand[] {
  const curves = new Map<string, CostCurve>();
  return [...rows]
    .sort((a, b) => b.units - a.units || (a.region < b.region ? -1 : 1))
    .map((r) => {
      const byCurrency = ceilings.get(r.region) ?? new Map<string, number[]>();
      const stats = [...byCurrency].filter(([, v]) => v.length).map(([c, v]) => ceilingStats(c, v)).sort((a, b) => b.count - a.count);
      const out: RegionDemand = { region: r.region, pledgers: r.pledgers, units: r.units, ceilings: stats, unitCost: null, nextBreak: null };
      const currency = bom ? demandCurrency(stats, bom) : undefined;
      if (bom && currency) {
        let curve = curves.get(currency);
        if (!curve) curves.set(currency, (curve = new CostCurve(bom, currency)));
        out.unitCost = curve.at(Math.max(1, r.units));
        out.nextBreak = nextBreak(curve, r.units, currency, byCurrency.get(currency) ?? []);
      }
      return out;
    });
}
