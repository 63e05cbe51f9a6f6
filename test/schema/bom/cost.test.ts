import { describe, expect, it } from 'vitest';
import { costBatch, evaluateOffer, neededQuantity, parseRates, type ExchangeRates } from '../../../schema/bom/cost.ts';
import type { ExplodedBom, ExplodedLine } from '../../../schema/bom/explode.ts';
import type { Offer } from '../../../schema/types.ts';
import { caught, offer } from './fixtures.ts';

function line(id: string, quantity: number, offers: Offer[], more: Partial<ExplodedLine> = {}): ExplodedLine {
  return {
    key: `line:t/top@1.0.0:${id}`, id, package: 't/top@1.0.0', name: id, type: 'cots', unit: 'pcs', quantity,
    offers, alternatives: [], references: [], from: [{ path: `t/top@1.0.0 > ${id}`, quantity }], ...more,
  };
}
const bom = (...lines: ExplodedLine[]): ExplodedBom => ({ root: 't/top@1.0.0', lines, notFitted: [], warnings: [], occurrences: lines.length });

describe('neededQuantity: per-unit quantity × batch, whole pieces for pcs', () => {
  it('rounds pcs up only after multiplying; continuous units keep decimals', () => {
    expect(neededQuantity(1.05, 3, 'pcs')).toBe(4); //  1.05 × 3 = 3.15 → 4 pieces
    expect(neededQuantity(1.05, 20, 'pcs')).toBe(21); // 21.00 exactly → 21, not 22
    expect(neededQuantity(1.65, 3, 'm')).toBe(4.95); //  no rounding for metres
    expect(neededQuantity(0.1, 3, 'kg')).toBe(0.3); //   exact decimal, not 0.30000000000000004
  });
});

describe('evaluateOffer: best price break for the quantity bought', () => {
  const reel = offer('Digikey', 'EUR', [[1, 0.1], [100, 0.05], [1000, 0.02]]);

  it('applies the largest break ≤ the quantity: 250 at the 100+ break', () => {
    // 250 × 0.05 = 12.50; buying 1000 at 0.02 would cost 20.00, so no buy-up.
    expect(evaluateOffer(reel, 250)).toMatchObject({ breakQty: 100, unitPrice: 0.05, buyQuantity: 250, extendedPrice: 12.5, notes: [] });
  });

  it('buys up to a higher break when that costs less in total', () => {
    // need 95: 95 × 0.10 = 9.50; the 100+ break: 100 × 0.09 = 9.00 → buy 100.
    const p = evaluateOffer(offer('Mouser', 'EUR', [[1, 0.1], [100, 0.09]]), 95)!;
    expect(p).toMatchObject({ breakQty: 100, unitPrice: 0.09, buyQuantity: 100, extendedPrice: 9 });
    expect(p.notes).toEqual(['buying 100 (the 100+ break) costs 9 EUR, less than 9.5 for 95']);
    // need 80: 80 × 0.10 = 8.00 < 9.00 → no buy-up.
    expect(evaluateOffer(offer('Mouser', 'EUR', [[1, 0.1], [100, 0.09]]), 80)).toMatchObject({ buyQuantity: 80, extendedPrice: 8 });
  });

  it('a total equal to a higher break keeps the smaller quantity (no stock for nothing)', () => {
    // 90 × 0.10 = 9.00 = 100 × 0.09
    expect(evaluateOffer(offer('Mouser', 'EUR', [[1, 0.1], [100, 0.09]]), 90)).toMatchObject({ buyQuantity: 90, extendedPrice: 9 });
  });

  it('respects the MOQ: need 3, MOQ 10 → buy 10, and says so', () => {
    // 10 × 0.25 = 2.50
    const p = evaluateOffer(offer('Würth', 'EUR', [[1, 0.25]], { moq: 10 }), 3)!;
    expect(p).toMatchObject({ buyQuantity: 10, breakQty: 1, unitPrice: 0.25, extendedPrice: 2.5 });
    expect(p.notes).toEqual(['MOQ 10: buying 10 where 3 are needed']);
  });

  it('an MOQ can reach a cheaper break: need 30, MOQ 100, breaks 1@0.10 and 100@0.06 → 100 × 0.06', () => {
    expect(evaluateOffer(offer('X', 'EUR', [[1, 0.1], [100, 0.06]], { moq: 100 }), 30)).toMatchObject({ buyQuantity: 100, unitPrice: 0.06, extendedPrice: 6 });
  });

  it('the smallest break is an implicit MOQ: need 2, first break at 5', () => {
    const p = evaluateOffer(offer('X', 'EUR', [[5, 1]]), 2)!;
    expect(p).toMatchObject({ buyQuantity: 5, extendedPrice: 5 });
    expect(p.notes).toEqual(['smallest price break is 5: buying 5 where 2 are needed']);
  });

  it('breaks may come in any order; an offer without usable breaks is unpriced', () => {
    expect(evaluateOffer(offer('X', 'EUR', [[1000, 0.02], [1, 0.1], [100, 0.05]]), 250)?.unitPrice).toBe(0.05);
    expect(evaluateOffer(offer('X', 'EUR', []), 1)).toBeUndefined();
    expect(evaluateOffer(offer('X', 'EUR', [[0, 1], [5, -1]]), 1)).toBeUndefined();
  });

  it('money is exact to 4 decimals, rounded half away from zero', () => {
    expect(evaluateOffer(offer('X', 'EUR', [[1, 0.00005]]), 3)?.extendedPrice).toBe(0.0002); // 0.00015 → 0.0002
    expect(evaluateOffer(offer('X', 'EUR', [[1, 0.0042]]), 5000)?.extendedPrice).toBe(21); //  5000 × 0.0042
    expect(evaluateOffer(offer('X', 'EUR', [[0.5, 3.99]]), 2.5)?.extendedPrice).toBe(9.975); // 2.5 kg × 3.99
  });
});

describe('costBatch', () => {
  it('totals are exact sums of the line amounts (0.1 + 0.1 + 0.1 = 0.3)', () => {
    const c = costBatch(bom(line('a', 1, [offer('S', 'EUR', [[1, 0.1]])]), line('b', 1, [offer('S', 'EUR', [[1, 0.1]])]), line('c', 1, [offer('S', 'EUR', [[1, 0.1]])])), { batch: 1 });
    expect(c.totals).toEqual([{ currency: 'EUR', amount: 0.3, perUnit: 0.3, lines: 3 }]);
  });

  it('a batch of 10: quantities × 10 before price breaks and rounding; per-unit cost = total / batch', () => {
    // resistor: 25 per unit → 250 → 100+ break 0.05 → 12.50
    // solder:   0.012 kg per unit → 0.12 kg, MOQ 0.25 kg at 40.00/kg → 0.25 × 40 = 10.00
    // bolt:     1.05 per unit (attrition) → 10.5 → 11 pcs × 0.30 = 3.30
    // total 25.80 EUR, 2.58 per unit
    const c = costBatch(bom(
      line('resistor', 25, [offer('Digikey', 'EUR', [[1, 0.1], [100, 0.05], [1000, 0.02]])]),
      line('solder', 0.012, [offer('Würth', 'EUR', [[0.25, 40]], { moq: 0.25 })], { unit: 'kg', type: 'consumable' }),
      line('bolt', 1.05, [offer('Würth', 'EUR', [[1, 0.3]])]),
    ), { batch: 10, currency: 'EUR' });
    expect(c.lines.map((l) => [l.id, l.needed, l.chosen?.buyQuantity, l.chosen?.extendedPrice])).toEqual([
      ['resistor', 250, 250, 12.5],
      ['solder', 0.12, 0.25, 10],
      ['bolt', 11, 11, 3.3],
    ]);
    expect(c.totals).toEqual([{ currency: 'EUR', amount: 25.8, perUnit: 2.58, lines: 3 }]);
  });

  it('picks the offer with the lowest extended price in one currency', () => {
    // 100 needed: A 100 × 0.05 = 5.00; B has a 10+ break at 0.045 → 4.50 → B
    const c = costBatch(bom(line('r', 100, [offer('A', 'EUR', [[1, 0.05]]), offer('B', 'EUR', [[1, 0.06], [10, 0.045]])])), { batch: 1 });
    expect(c.lines[0]!.chosen).toMatchObject({ supplier: 'B', extendedPrice: 4.5 });
  });

  describe('currencies', () => {
    // batch 2:
    //   a: Würth 5.00 EUR ×2 = 10.00 EUR
    //   b: Fastenal 4.00 USD ×2 = 8.00 USD
    //   c: Würth 3.50 EUR ×2 = 7.00 EUR, Fastenal 3.20 USD ×2 = 6.40 USD
    const lines = () => bom(
      line('a', 1, [offer('Würth', 'EUR', [[1, 5]], { region: 'DE', leadTimeDays: 10 })]),
      line('b', 1, [offer('Fastenal', 'USD', [[1, 4]], { region: 'US', leadTimeDays: 21 })]),
      line('c', 1, [offer('Würth', 'EUR', [[1, 3.5]], { region: 'DE' }), offer('Fastenal', 'USD', [[1, 3.2]], { region: 'US', leadTimeDays: 21 })]),
    );

    it('without rates: never compares across currencies; separate totals; says what was not compared', () => {
      const c = costBatch(lines(), { batch: 2, currency: 'EUR' });
      // c is bought in EUR (the requested currency) even though 6.40 USD "looks" cheaper.
      expect(c.lines.map((l) => `${l.id}:${l.chosen?.extendedPrice} ${l.chosen?.currency}`)).toEqual(['a:10 EUR', 'b:8 USD', 'c:7 EUR']);
      expect(c.lines[2]!.pricingNotes).toEqual(['1 offer in USD not compared with EUR (no exchange rates given)']);
      expect(c.totals).toEqual([
        { currency: 'EUR', amount: 17, perUnit: 8.5, lines: 2 }, // 10.00 + 7.00
        { currency: 'USD', amount: 8, perUnit: 4, lines: 1 },
      ]);
      expect(c.converted).toBeUndefined();
    });

    it('without rates and without a requested currency: the first priced offer’s currency', () => {
      const c = costBatch(lines(), { batch: 2 });
      expect(c.lines[2]!.chosen?.currency).toBe('EUR');
      expect(c.currency).toBeUndefined();
    });

    it('with rates: converts, picks the cheapest across currencies, and says so', () => {
      const rates: ExchangeRates = { base: 'EUR', rates: { USD: 1.25 }, date: '2025-01-31', source: 'ECB' };
      const c = costBatch(lines(), { batch: 2, currency: 'EUR', rates });
      // c: 6.40 USD / 1.25 = 5.12 EUR < 7.00 EUR → Fastenal
      expect(c.lines.map((l) => [l.id, l.chosen?.supplier, l.converted?.extendedPrice])).toEqual([
        ['a', 'Würth', 10], ['b', 'Fastenal', 6.4], ['c', 'Fastenal', 5.12],
      ]);
      // totals stay per currency (what is actually paid) ...
      expect(c.totals).toEqual([
        { currency: 'EUR', amount: 10, perUnit: 5, lines: 1 },
        { currency: 'USD', amount: 14.4, perUnit: 7.2, lines: 2 }, // 8.00 + 6.40
      ]);
      // ... and the converted total is flagged: 10.00 + 6.40 + 5.12 = 21.52 EUR
      expect(c.converted).toEqual({
        currency: 'EUR', amount: 21.52, perUnit: 10.76, base: 'EUR', rates: { EUR: 1, USD: 1.25 },
        date: '2025-01-31', source: 'ECB', missing: [],
        note: 'converted to EUR from USD with the given exchange rates dated 2025-01-31 (ECB), 1 EUR = 1.25 USD',
      });
    });

    it('with rates to a currency other than the base: via the base', () => {
      // 8.00 GBP → 8 / 0.8 = 10 EUR → × 1.25 = 12.50 USD
      const c = costBatch(bom(line('g', 1, [offer('RS', 'GBP', [[1, 8]])])), { batch: 1, currency: 'usd', rates: { base: 'EUR', rates: { USD: 1.25, GBP: 0.8 } } });
      expect(c.converted).toMatchObject({ currency: 'USD', amount: 12.5 });
    });

    it('a currency without a rate is left out of the converted total, with a warning', () => {
      const c = costBatch(bom(line('a', 1, [offer('S', 'EUR', [[1, 1]])]), line('k', 1, [offer('Swiss', 'CHF', [[1, 2]])])), { batch: 1, rates: { base: 'EUR', rates: { USD: 1.1 } } });
      expect(c.converted).toMatchObject({ currency: 'EUR', amount: 1, missing: ['CHF'] });
      expect(c.totals.map((t) => t.currency)).toEqual(['CHF', 'EUR']);
      expect(c.warnings).toEqual(['no exchange rate for CHF: those lines are not in the EUR total']);
    });

    it('lead time: the longest among chosen offers; unknown ones listed', () => {
      const c = costBatch(lines(), { batch: 2, currency: 'EUR' });
      expect(c.maxLeadTimeDays).toBe(21);
      expect(c.maxLeadTimeLines).toEqual(['b']);
      expect(c.leadTimeUnknown).toEqual(['c']); // Würth's offer on c states none
    });

    it('purchasing list: grouped by supplier (case-insensitive) and region, with subtotals', () => {
      const c = costBatch(bom(
        line('a', 2, [offer('Würth', 'EUR', [[1, 1.5]], { region: 'DE', sku: 'W-1', leadTimeDays: 3 })]),
        line('b', 1, [offer('würth', 'EUR', [[1, 2.25]], { region: 'de', sku: 'W-2', leadTimeDays: 5 })]),
        line('c', 1, [offer('Würth', 'EUR', [[1, 9]], { region: 'FR' })]),
        line('d', 1, [offer('Digikey', 'USD', [[1, 0.5]], { region: 'US' })]),
      ), { batch: 1 });
      expect(c.purchasing.map((g) => [g.supplier, g.region, g.lines.map((l) => l.sku ?? l.name), g.subtotals, g.maxLeadTimeDays])).toEqual([
        ['Digikey', 'US', ['d'], [{ currency: 'USD', amount: 0.5 }], undefined],
        ['Würth', 'DE', ['W-1', 'W-2'], [{ currency: 'EUR', amount: 5.25 }], 5], // 2 × 1.50 + 2.25
        ['Würth', 'FR', ['c'], [{ currency: 'EUR', amount: 9 }], undefined],
      ]);
    });
  });

  it('lines with no price are listed as unpriced and not totalled', () => {
    const c = costBatch(bom(
      line('frame', 1, [], { type: 'diy' }),
      line('odd', 1, [offer('X', 'EUR', [])]),
      line('ok', 1, [offer('X', 'EUR', [[1, 1]])]),
    ), { batch: 3 });
    expect(c.unpriced).toEqual([
      { key: 'line:t/top@1.0.0:frame', id: 'frame', name: 'frame', unit: 'pcs', needed: 3, reason: 'no offers' },
      { key: 'line:t/top@1.0.0:odd', id: 'odd', name: 'odd', unit: 'pcs', needed: 3, reason: 'no offer has a usable price break' },
    ]);
    expect(c.totals).toEqual([{ currency: 'EUR', amount: 3, perUnit: 1, lines: 1 }]);
  });

  it('refuses a batch that is not a whole number ≥ 1', async () => {
    for (const batch of [0, -1, 1.5, Number.NaN]) {
      const e = await caught(() => costBatch(bom(), { batch }));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe(`batch must be a whole number ≥ 1 (got ${batch})`);
    }
  });

  it('refuses malformed currencies and rates', async () => {
    expect((await caught(() => costBatch(bom(), { batch: 1, currency: 'euro' }))).message).toBe('currency must be an ISO 4217 code such as EUR (got "euro")');
    expect((await caught(() => costBatch(bom(), { batch: 1, currency: 'JPY', rates: { base: 'EUR', rates: { USD: 1.1 } } }))).message)
      .toBe('the exchange rates have no rate for JPY (base EUR)');
    expect((await caught(() => parseRates({ base: 'EUR', rates: { USD: -1 } }))).message).toBe('invalid exchange rates: rate for USD must be a positive number');
  });
});

describe('parseRates', () => {
  it('reads a rates file ({base, rates}) and a ?rates= query value (CODE:rate pairs, base = currency)', () => {
    expect(parseRates({ base: 'eur', rates: { usd: 1.08 }, date: '2025-01-31' })).toEqual({ base: 'EUR', rates: { USD: 1.08 }, date: '2025-01-31' });
    expect(parseRates('USD:1.08, gbp=0.85', 'EUR')).toEqual({ base: 'EUR', rates: { USD: 1.08, GBP: 0.85 } });
  });
  it('refuses a query value without a base, or a malformed pair', async () => {
    expect((await caught(() => parseRates('USD:1.08'))).code).toBe('INVALID_REQUEST');
    expect((await caught(() => parseRates('USD:abc', 'EUR'))).message).toBe('invalid exchange rates: "USD:abc" is not CODE:rate');
  });
});
