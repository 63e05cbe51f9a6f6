import { describe, expect, it } from 'vitest';
import type { ExplodedBom, ExplodedLine } from '../../../../schema/bom/explode.ts';
import { aggregateDemand, breakBatches, ceilingStats, nextBreak, unitCostAt } from '../../../../server/domain/production/demand.ts';

const line = (id: string, quantity: number, breaks: Array<[number, number]>, currency = 'EUR'): ExplodedLine => ({
  key: id, id, package: 'a/b@1.0.0', name: id, type: 'cots', unit: 'pcs', quantity,
  offers: [{ supplier: 's', currency, priceBreaks: breaks.map(([qty, price]) => ({ qty, price })) }],
  alternatives: [], references: [], from: [],
});

// A frame at 400 (350 from 10 pieces), two bolts per unit at 1 (0.5 from 100 pieces).
const bom: ExplodedBom = { root: 'a/b@1.0.0', lines: [line('frame', 1, [[1, 400], [10, 350]]), line('bolt', 2, [[1, 1], [100, 0.5]])], notFitted: [], warnings: [], occurrences: 2 };

describe('the batch-cost curve from the BOM costing', () => {
  it('gives the unit cost at a batch size', () => {
    expect(unitCostAt(bom, 1, 'EUR')).toEqual({ amount: 402, currency: 'EUR', otherCurrencies: [], unpricedLines: 0 });
    expect(unitCostAt(bom, 10, 'EUR')!.amount).toBe(352);
  });

  it('lists the batch sizes where a line reaches a price break', () => {
    expect(breakBatches(bom, 3)).toEqual([10, 50]);
  });

  it('says how many more units reach the next break and how it meets the ceilings', () => {
    const nb = nextBreak(bom, 4, 'EUR', [300, 360, 380, 500, 600])!;
    expect(nb).toMatchObject({ moreUnits: 6, batch: 10, unitCost: 352, underCeilingsPercent: 80 });
    expect(nb.text).toBe('6 more units → unit cost 352 EUR, under 80% of the ceilings');
  });
});

describe('the demand aggregate', () => {
  it('summarises ceilings as min / median / max per currency', () => {
    expect(ceilingStats('EUR', [300, 400, 500, 900])).toEqual({ currency: 'EUR', count: 4, min: 300, median: 450, max: 900 });
  });

  it('orders regions by units and sets each against the cost curve', () => {
    const out = aggregateDemand(
      [{ region: 'FR', pledgers: 1, units: 1 }, { region: 'DE-BE', pledgers: 3, units: 4 }],
      new Map([['DE-BE', new Map([['EUR', [380, 400]]])]]),
      bom,
    );
    expect(out.map((r) => r.region)).toEqual(['DE-BE', 'FR']);
    expect(out[0]).toMatchObject({ pledgers: 3, units: 4, ceilings: [{ currency: 'EUR', min: 380, median: 390, max: 400 }], unitCost: { amount: 402 } });
    expect(out[0]!.nextBreak).toMatchObject({ moreUnits: 6, unitCost: 352, underCeilingsPercent: 100 });
    expect(out[1]!.unitCost!.currency).toBe('EUR');
  });
});
