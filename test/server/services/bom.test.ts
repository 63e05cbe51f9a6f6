/**
 * Issue 6 integration: the BOM of a published version (`GET …/versions/:v/bom`) and where-used
 * (`GET …/dependents`), over a real registry (`makeRegistry`) through the HTTP adapter.
 *
 * Fixture (every number below is worked by hand):
 *
 *   t/drive@1.0.0   bolt ×4 (+5 % attrition), Bossard BN610-M5x20, Mouser EUR 1+ 0.12 / 50+ 0.10 / 500+ 0.05, 3 d
 *                   motor ×1, Maxon RE-40, Motor Shop EUR 95.00, MOQ 25, 21 d
 *   t/cart@1.0.0    drive ×2 (t/drive ^1.0.0)
 *                   caster ×4 [C1..C4], Caster World EUR 1+ 3.50 / 40+ 2.90 (5 d); US Casters USD 2.50 (12 d)
 *                   frame ×1 (no offers → unpriced)
 *                   horn ×1, fitted: false
 *   t/robot@1.0.0   drive ×1 (t/drive 1.0.0, pinned), bolt ×10 (same part as the drive's bolt, other case)
 *   t/kit@1.0.0     cart ×1 (t/cart ^1.0.0), manual ×1 (printed)
 *   t/mixed@1.0.0   Alpha W-05 wire: 1.5 m on one line, 2 pcs on another
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let tess: string;

const api = () => request(reg.app);

/** A valid starter design whose `bom:` is replaced by `bomYaml` (lines indented by two spaces). */
function withBom(bomYaml: string) {
  return (yaml: string) => {
    const out = yaml.replace(/\nbom:\n[\s\S]*?\nparts:\n/, `\nbom:\n${bomYaml.replace(/\n+$/, '')}\nparts:\n`);
    if (out === yaml) throw new Error('starter design has no bom section to replace');
    return out;
  };
}

async function put(pkg: string, version: string, bomYaml: string) {
  return publish(reg.app, tess, pkg, version, await designArchive(pkg, version, withBom(bomYaml)));
}

async function mustPublish(pkg: string, version: string, bomYaml: string) {
  const res = await put(pkg, version, bomYaml);
  if (res.status !== 201) throw new Error(`publish ${pkg}@${version}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

const sub = (id: string, pkg: string, range: string, qty: number) => `
  - id: ${id}
    name: ${id} sub-assembly
    type: subassembly
    quantity: ${qty}
    subassembly: { package: ${pkg}, version: "${range}" }
`;

const DRIVE_V1 = `
  - id: bolt
    name: Socket head screw M5x20, A2
    type: cots
    quantity: 4
    attritionPercent: 5
    manufacturer: Bossard
    mpn: BN610-M5x20
    offers:
      - supplier: Mouser
        sku: M-520
        region: EU
        currency: EUR
        priceBreaks: [{ qty: 1, price: 0.12 }, { qty: 50, price: 0.10 }, { qty: 500, price: 0.05 }]
        leadTimeDays: 3
    alternatives:
      - { manufacturer: Würth, mpn: "0912-520", compatibility: drop-in }
  - id: motor
    name: Brushed DC motor 40 mm, 24 V
    type: cots
    quantity: 1
    manufacturer: Maxon
    mpn: RE-40
    offers:
      - supplier: Motor Shop
        sku: MS-40
        region: EU
        currency: EUR
        priceBreaks: [{ qty: 1, price: 95 }]
        moq: 25
        leadTimeDays: 21
`;

const CART = `${sub('drive', 't/drive', '^1.0.0', 2)}
  - id: caster
    name: Swivel caster 50 mm
    type: cots
    quantity: 4
    references: [C1, C2, C3, C4]
    offers:
      - supplier: Caster World
        region: EU
        currency: EUR
        priceBreaks: [{ qty: 1, price: 3.50 }, { qty: 40, price: 2.90 }]
        leadTimeDays: 5
      - supplier: US Casters
        region: US
        currency: USD
        priceBreaks: [{ qty: 1, price: 2.50 }]
        leadTimeDays: 12
  - id: frame
    name: Plywood deck 18 mm
    type: diy
    quantity: 1
  - id: horn
    name: Bicycle horn
    type: cots
    quantity: 1
    fitted: false
`;

const ROBOT = `${sub('drive', 't/drive', '1.0.0', 1)}
  - id: bolt
    name: M5x20 screw
    type: cots
    quantity: 10
    manufacturer: bossard
    mpn: BN610-M5X20
    offers:
      - { supplier: Mouser, sku: M-520, region: EU, currency: EUR, priceBreaks: [{ qty: 1, price: 0.12 }, { qty: 50, price: 0.10 }, { qty: 500, price: 0.05 }], leadTimeDays: 3 }
`;

const KIT = `${sub('cart', 't/cart', '^1.0.0', 1)}
  - id: manual
    name: Printed assembly manual
    type: printed
    quantity: 1
`;

const MIXED = `
  - id: wire-reel
    name: Silicone wire 0.5 mm2
    type: raw
    quantity: 1.5
    unit: m
    manufacturer: Alpha
    mpn: W-05
  - id: wire-cut
    name: Silicone wire 0.5 mm2, pre-cut
    type: cots
    quantity: 2
    manufacturer: Alpha
    mpn: W-05
`;

beforeAll(async () => {
  reg = await makeRegistry();
  tess = await reg.account('t'); // the owner segment of the t/… designs below
  await mustPublish('t/drive', '1.0.0', DRIVE_V1);
  await mustPublish('t/cart', '1.0.0', CART);
  await mustPublish('t/robot', '1.0.0', ROBOT);
  await mustPublish('t/kit', '1.0.0', KIT);
  await mustPublish('t/mixed', '1.0.0', MIXED);
}, 120_000);
afterAll(() => reg.cleanup());

type Line = {
  key: string; id: string; name: string; unit: string; quantityPerUnit: number; needed: number; references: string[];
  alternatives: Array<{ mpn: string }>; from: Array<{ path: string; quantity: number }>; pricingNotes: string[];
  chosen?: { supplier: string; currency: string; breakQty: number; unitPrice: number; buyQuantity: number; extendedPrice: number; notes: string[] };
  converted?: { currency: string; extendedPrice: number };
};
const line = (body: { lines: Line[] }, name: string): Line => {
  const l = body.lines.find((x) => x.name === name);
  if (!l) throw new Error(`no line "${name}" in ${body.lines.map((x) => x.name).join(', ')}`);
  return l;
};
const bom = (pkg: string, version: string, query = '') => api().get(`/api/v1/designs/${pkg}/versions/${version}/bom${query}`);

describe('GET …/versions/:version/bom', () => {
  it('explodes t/cart for a batch of 10: attrition, a price break, an MOQ, unpriced and not-fitted lines', async () => {
    const res = await bom('t/cart', '1.0.0', '?batch=10');
    expect(res.status).toBe(200);
    const b = res.body;
    expect(b).toMatchObject({ package: 't/cart', version: '1.0.0', root: 't/cart@1.0.0', batch: 10, currency: null });
    expect(b.tree).toEqual({
      depth: 1,
      packages: [
        { package: 't/cart', version: '1.0.0', yanked: false, dependencies: [{ package: 't/drive', range: '^1.0.0', version: '1.0.0' }] },
        { package: 't/drive', version: '1.0.0', yanked: false, dependencies: [] },
      ],
    });

    // Bolt: 2 drives × 4 × 1.05 = 8.4 per cart; × 10 carts = 84 pcs. Breaks 1/50/500: 84 ≥ 50 → 0.10 each,
    // 84 × 0.10 = 8.40 EUR. Buying 500 at 0.05 = 25.00 would cost more, so no buy-up.
    const bolt = line(b, 'Socket head screw M5x20, A2');
    expect(bolt).toMatchObject({ quantityPerUnit: 8.4, needed: 84, unit: 'pcs', key: 'mpn:bossard|bn610-m5x20' });
    expect(bolt.chosen).toMatchObject({ supplier: 'Mouser', currency: 'EUR', breakQty: 50, unitPrice: 0.1, buyQuantity: 84, extendedPrice: 8.4, notes: [] });
    expect(bolt.alternatives.map((a) => a.mpn)).toEqual(['0912-520']);
    expect(bolt.from).toEqual([{ path: 't/cart@1.0.0 > drive ×2 > t/drive@1.0.0 > bolt', quantity: 8.4 }]);

    // Motor: 2 per cart × 10 = 20 needed; MOQ 25 → buy 25 × 95.00 = 2375.00 EUR.
    const motor = line(b, 'Brushed DC motor 40 mm, 24 V');
    expect(motor).toMatchObject({ quantityPerUnit: 2, needed: 20 });
    expect(motor.chosen).toMatchObject({ buyQuantity: 25, breakQty: 1, unitPrice: 95, extendedPrice: 2375 });
    expect(motor.chosen!.notes).toEqual(['MOQ 25: buying 25 where 20 are needed']);

    // Caster: 4 × 10 = 40 → the 40+ break, 40 × 2.90 = 116.00 EUR. The USD offer is not compared without rates.
    const caster = line(b, 'Swivel caster 50 mm');
    expect(caster).toMatchObject({ needed: 40, references: ['C1', 'C2', 'C3', 'C4'] });
    expect(caster.chosen).toMatchObject({ supplier: 'Caster World', breakQty: 40, unitPrice: 2.9, extendedPrice: 116 });
    expect(caster.pricingNotes).toEqual(['1 offer in USD not compared with EUR (no exchange rates given)']);

    // Frame: no offers → unpriced (10 needed); horn: not fitted, listed apart, not bought.
    expect(b.unpriced).toEqual([{ key: 'line:t/cart@1.0.0:frame', id: 'frame', name: 'Plywood deck 18 mm', unit: 'pcs', needed: 10, reason: 'no offers' }]);
    expect(b.notFitted.map((l: Line & { quantity: number }) => [l.name, l.quantity])).toEqual([['Bicycle horn', 1]]);
    expect(b.lines).toHaveLength(4); // bolt, motor, caster, frame

    // 8.40 + 2375.00 + 116.00 = 2499.40 EUR for 10, 249.94 per cart.
    expect(b.totals).toEqual([{ currency: 'EUR', amount: 2499.4, perUnit: 249.94, lines: 3 }]);
    expect(b.converted).toBeUndefined();
    expect(b.maxLeadTimeDays).toBe(21);
    expect(b.maxLeadTimeLines).toEqual(['Brushed DC motor 40 mm, 24 V']);
    expect(b.purchasing.map((g: { supplier: string; region: string; subtotals: unknown }) => [g.supplier, g.region, g.subtotals])).toEqual([
      ['Caster World', 'EU', [{ currency: 'EUR', amount: 116 }]],
      ['Motor Shop', 'EU', [{ currency: 'EUR', amount: 2375 }]],
      ['Mouser', 'EU', [{ currency: 'EUR', amount: 8.4 }]],
    ]);
    expect(b.warnings).toEqual([]);
  });

  it('batch defaults to 1: whole pieces are rounded up per batch, not per unit', async () => {
    const b = (await bom('t/cart', '1.0.0')).body;
    expect(b.batch).toBe(1);
    // 8.4 bolts per cart → 9 pcs, at 0.12 → 1.08 EUR.
    expect(line(b, 'Socket head screw M5x20, A2')).toMatchObject({ needed: 9, chosen: { buyQuantity: 9, unitPrice: 0.12, extendedPrice: 1.08 } });
  });

  it('converts with ?currency=EUR&rates=USD:1.08 and says so', async () => {
    const res = await bom('t/cart', '1.0.0', '?batch=10&currency=EUR&rates=USD:1.08,GBP:0.85');
    expect(res.status).toBe(200);
    const b = res.body;
    expect(b.currency).toBe('EUR');
    // Casters: US Casters 40 × 2.50 = 100.00 USD = 100 / 1.08 = 92.5926 EUR < 116.00 EUR → the USD offer wins.
    const caster = line(b, 'Swivel caster 50 mm');
    expect(caster.chosen).toMatchObject({ supplier: 'US Casters', currency: 'USD', extendedPrice: 100 });
    expect(caster.converted).toEqual({ currency: 'EUR', extendedPrice: 92.5926 });
    // Totals stay per currency; the converted total is 8.40 + 2375.00 + 92.5926 = 2475.9926 EUR.
    expect(b.totals).toEqual([
      { currency: 'EUR', amount: 2383.4, perUnit: 238.34, lines: 2 },
      { currency: 'USD', amount: 100, perUnit: 10, lines: 1 },
    ]);
    expect(b.converted).toMatchObject({ currency: 'EUR', amount: 2475.9926, perUnit: 247.5993, base: 'EUR', rates: { EUR: 1, USD: 1.08 }, missing: [] });
    expect(b.converted.note).toBe('converted to EUR from USD with the given exchange rates, 1 EUR = 1.08 USD');
  });

  it('takes the rates file form as JSON too', async () => {
    const rates = encodeURIComponent(JSON.stringify({ base: 'EUR', rates: { USD: 1.08 }, date: '2025-01-31', source: 'ECB' }));
    const b = (await bom('t/cart', '1.0.0', `?batch=10&rates=${rates}`)).body;
    expect(b.currency).toBe('EUR');
    expect(b.converted.amount).toBe(2475.9926);
    expect(b.converted.note).toBe('converted to EUR from USD with the given exchange rates dated 2025-01-31 (ECB), 1 EUR = 1.08 USD');
  });

  it('answers CSV with the documented Kitspace-compatible header and a download name', async () => {
    const res = await bom('t/cart', '1.0.0', '?batch=10&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="t-cart-1.0.0-bom-x10.csv"');
    const rows = res.text.trimEnd().split('\n');
    expect(rows[0]).toBe('References,Qty,Description,Manufacturer,MPN,Mouser,Unit,Qty per unit,Supplier,SKU,Region,Buy qty,Unit price,Currency,Extended price,Lead time (days),Alternatives,Where used,Notes');
    expect(rows).toHaveLength(5); // header + bolt, motor, caster, frame (the horn is not bought)
    expect(rows[1]).toBe(',84,"Socket head screw M5x20, A2",Bossard,BN610-M5x20,M-520,pcs,8.4,Mouser,M-520,EU,84,0.1,EUR,8.4,3,Würth 0912-520 (drop-in),t/cart@1.0.0 > drive ×2 > t/drive@1.0.0 > bolt (×8.4),');
    expect(rows[2]).toBe(',20,"Brushed DC motor 40 mm, 24 V",Maxon,RE-40,,pcs,2,Motor Shop,MS-40,EU,25,95,EUR,2375,21,,t/cart@1.0.0 > drive ×2 > t/drive@1.0.0 > motor (×2),MOQ 25: buying 25 where 20 are needed');
    expect(rows[3]).toContain('"C1, C2, C3, C4",40,Swivel caster 50 mm');
    expect(rows[4]).toContain(',10,Plywood deck 18 mm,');
    expect(rows[4]).toContain(',unpriced');
  });

  it('with rates, the CSV gets a Converted price column', async () => {
    const res = await bom('t/cart', '1.0.0', '?batch=10&format=csv&currency=EUR&rates=USD:1.08');
    expect(res.text.split('\n')[0]).toContain(',Extended price,Converted price,Lead time (days),');
  });

  it('merges the same part from the design and its sub-assembly (manufacturer + MPN, any case)', async () => {
    const b = (await bom('t/robot', '1.0.0')).body;
    // 1 drive × 4 × 1.05 = 4.2 + 10 direct = 14.2 per robot → 15 pcs, 15 × 0.12 = 1.80 EUR.
    const bolt = b.lines.find((l: Line) => l.key === 'mpn:bossard|bn610-m5x20');
    expect(bolt).toMatchObject({ quantityPerUnit: 14.2, needed: 15, chosen: { extendedPrice: 1.8 } });
    expect(bolt.from).toEqual([
      { path: 't/robot@1.0.0 > drive > t/drive@1.0.0 > bolt', quantity: 4.2 },
      { path: 't/robot@1.0.0 > bolt', quantity: 10 },
    ]);
    expect(b.lines).toHaveLength(2);
  });

  it('follows sub-assemblies two levels down', async () => {
    const b = (await bom('t/kit', '1.0.0', '?batch=10')).body;
    expect(b.tree.depth).toBe(2);
    expect(b.tree.packages.map((p: { package: string; version: string }) => `${p.package}@${p.version}`)).toEqual(['t/kit@1.0.0', 't/cart@1.0.0', 't/drive@1.0.0']);
    // Same as t/cart ×10 plus 10 manuals (unpriced): the priced total does not change.
    expect(line(b, 'Socket head screw M5x20, A2').from).toEqual([{ path: 't/kit@1.0.0 > cart > t/cart@1.0.0 > drive ×2 > t/drive@1.0.0 > bolt', quantity: 8.4 }]);
    expect(b.totals).toEqual([{ currency: 'EUR', amount: 2499.4, perUnit: 249.94, lines: 3 }]);
    expect(b.unpriced.map((u: { name: string; needed: number }) => [u.name, u.needed])).toEqual([['Plywood deck 18 mm', 10], ['Printed assembly manual', 10]]);
  });

  it('keeps mixed units of one part apart, with a warning', async () => {
    const b = (await bom('t/mixed', '1.0.0', '?batch=3')).body;
    // 1.5 m × 3 = 4.5 m (continuous, not rounded); 2 pcs × 3 = 6 pcs.
    expect(b.lines.map((l: Line) => [l.unit, l.quantityPerUnit, l.needed])).toEqual([['m', 1.5, 4.5], ['pcs', 2, 6]]);
    expect(b.warnings).toEqual(['"Silicone wire 0.5 mm2" appears in m and pcs; kept apart']);
  });

  it.each([['0'], ['-1'], ['1.5'], ['ten'], ['1e3']])('refuses batch=%s with 400', async (batch) => {
    const res = await bom('t/cart', '1.0.0', `?batch=${encodeURIComponent(batch)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message).toBe(`batch must be a whole number ≥ 1 (got "${batch}")`);
  });

  it('refuses bad currencies, rates and formats with 400', async () => {
    const cases: Array<[string, RegExp]> = [
      ['?currency=euro', /currency must be an ISO 4217 code/],
      ['?rates=USD:1.08', /a base currency is needed/],
      ['?currency=EUR&rates=USD:abc', /"USD:abc" is not CODE:rate/],
      ['?currency=EUR&rates=USD:0', /"USD:0" is not CODE:rate|rate for USD must be a positive number/],
      ['?currency=EUR&rates={"base":', /not valid JSON/],
      ['?currency=CHF&rates={"base":"EUR","rates":{"USD":1.08}}', /no rate for CHF/],
      ['?format=xml', /format must be json or csv/],
      ['?batch=1&batch=2', /"batch" must be given once/],
    ];
    for (const [q, msg] of cases) {
      const res = await api().get(`/api/v1/designs/t/cart/versions/1.0.0/bom${q.replace(/[{}":,]/g, (c) => encodeURIComponent(c))}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message, q).toMatch(msg);
    }
  });

  it('404s for an unknown design or version', async () => {
    expect((await bom('t/nothing', '1.0.0')).status).toBe(404);
    const res = await bom('t/cart', '9.9.9');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('version 9.9.9 of t/cart not found');
  });
});

describe('refusals at publish', () => {
  it('refuses an unresolvable range, naming the package and the versions that exist', async () => {
    const res = await put('t/bad', '1.0.0', sub('drive', 't/drive', '^2.0.0', 1));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_MANIFEST');
    expect(res.body.error.message).toBe('no published version of t/drive satisfies "^2.0.0" (published: 1.0.0), required by t/bad@1.0.0 bom line "drive"');
    expect(res.body.error.issues[0]).toMatchObject({ path: 'bom[0].subassembly.version', code: 'subassembly-unresolvable' });
    expect((await api().get('/api/v1/designs/t/bad')).status).toBe(404);
  });

  it('refuses a sub-assembly package that does not exist', async () => {
    const res = await put('t/bad', '1.0.0', sub('ghost', 't/ghost', '^1.0.0', 1));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('sub-assembly package t/ghost does not exist, required by t/bad@1.0.0 bom line "ghost"');
  });

  it('refuses a version that would close a cycle, naming the path', async () => {
    await mustPublish('t/x', '1.0.0', `
  - id: plate
    name: Plate
    type: raw
    quantity: 1
    unit: kg
`);
    await mustPublish('t/y', '1.0.0', sub('x', 't/x', '^1.0.0', 1));
    // t/x@1.1.0 → t/y ^1.0.0 = t/y@1.0.0 → t/x ^1.0.0, which now (the version being published counts)
    // resolves to 1.1.0 itself: a loop.
    const res = await put('t/x', '1.1.0', sub('y', 't/y', '^1.0.0', 1));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_MANIFEST');
    expect(res.body.error.message).toBe('sub-assembly cycle: t/x@1.1.0 → t/y@1.0.0 → t/x@1.1.0');
    expect(res.body.error.details).toEqual({ cycle: ['t/x@1.1.0', 't/y@1.0.0', 't/x@1.1.0'] });
    expect(res.body.error.issues[0]).toMatchObject({ path: 'bom[0].subassembly' });
    const x = await api().get('/api/v1/designs/t/x');
    expect(x.body.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0']);
  });
});

describe('GET /designs/:owner/:name/dependents', () => {
  it('lists direct and transitive dependents with the chain', async () => {
    const res = await api().get('/api/v1/designs/t/drive/dependents');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ package: 't/drive', version: null, total: 3 });
    expect(res.body.packages).toEqual([
      { package: 't/cart', versions: ['1.0.0'], direct: true, yanked: false },
      { package: 't/kit', versions: ['1.0.0'], direct: false, yanked: false },
      { package: 't/robot', versions: ['1.0.0'], direct: true, yanked: false },
    ]);
    const kit = res.body.dependents.find((d: { package: string }) => d.package === 't/kit');
    expect(kit).toEqual({ package: 't/kit', version: '1.0.0', yanked: false, direct: false, uses: ['1.0.0'], via: ['t/cart@1.0.0', 't/drive@1.0.0'] });
  });

  it('flags yanked dependents, and can leave them out', async () => {
    const y = await api().post('/api/v1/designs/t/robot/versions/1.0.0/yank').set('Authorization', `Bearer ${tess}`).send({});
    expect(y.status).toBe(200);
    const res = await api().get('/api/v1/designs/t/drive/dependents');
    expect(res.body.dependents.find((d: { package: string }) => d.package === 't/robot')).toMatchObject({ yanked: true, direct: true });
    expect(res.body.packages.find((p: { package: string }) => p.package === 't/robot').yanked).toBe(true);
    const without = await api().get('/api/v1/designs/t/drive/dependents?excludeYanked=true');
    expect(without.body.packages.map((p: { package: string }) => p.package)).toEqual(['t/cart', 't/kit']);
    // A yanked version's own BOM still answers (it is still downloadable), and says it is yanked.
    const b = (await bom('t/robot', '1.0.0')).body;
    expect(b.tree.packages[0]).toMatchObject({ package: 't/robot', yanked: true });
    expect(b.warnings[0]).toBe('t/robot@1.0.0 is yanked');
  });

  it('answers an empty list for a design nobody uses, and 404 for an unknown one', async () => {
    const res = await api().get('/api/v1/designs/t/kit/dependents');
    expect(res.body).toEqual({ package: 't/kit', version: null, total: 0, packages: [], dependents: [] });
    expect((await api().get('/api/v1/designs/t/nothing/dependents')).status).toBe(404);
    expect((await api().get('/api/v1/designs/t/drive/dependents?version=9.0.0')).status).toBe(404);
  });
});

describe('when a newer sub-assembly is published', () => {
  it('ranges resolve to it at request time, with a warning; pinned users and where-used stay put', async () => {
    await mustPublish('t/drive', '1.1.0', DRIVE_V1.replace('quantity: 4\n', 'quantity: 6\n'));
    const b = (await bom('t/cart', '1.0.0', '?batch=10')).body;
    expect(b.tree.packages.map((p: { package: string; version: string }) => `${p.package}@${p.version}`)).toEqual(['t/cart@1.0.0', 't/drive@1.1.0']);
    // 2 × 6 × 1.05 = 12.6 per cart → 126 for 10, at the 50+ break: 12.60 EUR.
    expect(line(b, 'Socket head screw M5x20, A2')).toMatchObject({ quantityPerUnit: 12.6, needed: 126, chosen: { extendedPrice: 12.6 } });
    expect(b.warnings).toEqual(['t/drive "^1.0.0" now resolves to 1.1.0; 1.0.0 was recorded when t/cart@1.0.0 was published']);
    // t/robot pins 1.0.0.
    expect((await bom('t/robot', '1.0.0')).body.tree.packages[1]).toMatchObject({ package: 't/drive', version: '1.0.0' });
    // Where-used reads what was recorded at publish: nobody was published against 1.1.0.
    const d = await api().get('/api/v1/designs/t/drive/dependents?version=1.1.0');
    expect(d.body.total).toBe(0);

    // Yanking 1.1.0 hides it from resolution again.
    const y = await api().post('/api/v1/designs/t/drive/versions/1.1.0/yank').set('Authorization', `Bearer ${tess}`).send({});
    expect(y.status).toBe(200);
    const again = (await bom('t/cart', '1.0.0', '?batch=10')).body;
    expect(again.tree.packages[1]).toMatchObject({ package: 't/drive', version: '1.0.0' });
    expect(again.totals).toEqual([{ currency: 'EUR', amount: 2499.4, perUnit: 249.94, lines: 3 }]);
    expect(again.warnings).toEqual([]);
  });
});
