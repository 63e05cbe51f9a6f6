import { describe, expect, it } from 'vitest';
import { explode } from '../../../schema/bom/explode.ts';
import { memoryRegistry } from '../../../schema/bom/memory-registry.ts';
import { resolveTree } from '../../../schema/bom/resolve.ts';
import { caught, design, explodeOf, leaf, offer, sub } from './fixtures.ts';

/**
 * A 3-level tree in which `ose/hose-kit` appears twice, under different multipliers:
 *
 *   ose/lifetrac@1.0.0
 *   ├─ frame            1 (part "frame")
 *   ├─ power-cube ×2 → ose/power-cube@1.1.0
 *   │   ├─ engine       1
 *   │   ├─ hose-kit ×1 → ose/hose-kit@1.0.0
 *   │   └─ bolt         8   (Generic ISO4017-M8x30)
 *   ├─ wheel-unit ×4 → ose/wheel-unit@1.0.0
 *   │   ├─ motor        1
 *   │   └─ hose-kit ×2 → ose/hose-kit@1.0.0
 *   └─ bolt            20, attrition 5 %  (generic iso4017-m8x30, other spelling)
 *
 *   ose/hose-kit@1.0.0: hose 1.5 m with 10 % attrition; fitting 4 pcs.
 */
const hoseKit = design('ose/hose-kit', '1.0.0', [
  leaf('hose', 1.5, { name: 'Hydraulic hose 1/2"', type: 'raw', unit: 'm', attritionPercent: 10 }),
  leaf('fitting', 4, { name: 'JIC fitting', references: ['F1', 'F2', 'F3', 'F4'] }),
]);
const powerCube = design('ose/power-cube', '1.1.0', [
  leaf('engine', 1, { name: 'Engine 28 hp' }),
  sub('hose-kit', 'ose/hose-kit', '^1.0.0', 1),
  leaf('bolt', 8, { name: 'Bolt M8x30', manufacturer: 'Generic', mpn: 'ISO4017-M8x30', offers: [offer('Fastenal', 'USD', [[1, 0.3]])] }),
]);
const wheelUnit = design('ose/wheel-unit', '1.0.0', [
  leaf('motor', 1, { name: 'Hydraulic motor' }),
  sub('hose-kit', 'ose/hose-kit', '^1.0.0', 2),
]);
const lifetrac = design('ose/lifetrac', '1.0.0', [
  leaf('frame', 1, { name: 'Frame', type: 'diy', part: 'frame' }),
  sub('power-cube', 'ose/power-cube', '^1.0.0', 2),
  sub('wheel-unit', 'ose/wheel-unit', '^1.0.0', 4),
  leaf('bolt', 20, { name: 'M8 bolt', manufacturer: ' generic ', mpn: 'iso4017-m8x30', attritionPercent: 5, offers: [offer('Würth', 'EUR', [[1, 0.25]]), offer('fastenal', 'usd', [[1, 0.3]])] }),
]);

describe('explode: a flat list of leaf lines for one top-level unit', () => {
  it('multiplies quantities down the tree, applies attrition at the leaf and merges repeated lines', async () => {
    const bom = await explodeOf(lifetrac, [hoseKit, powerCube, wheelUnit]);
    const q = Object.fromEntries(bom.lines.map((l) => [l.id, [l.quantity, l.unit]]));
    expect(q).toEqual({
      frame: [1, 'pcs'],
      engine: [2, 'pcs'], //  1 × 2 power cubes
      // hose-kits per lifetrac: 2 × 1 (under power-cube) + 4 × 2 (under wheel-unit) = 10
      hose: [16.5, 'm'], //    1.5 m × 1.10 attrition = 1.65 m per kit; × 10 kits = 16.5 m
      fitting: [40, 'pcs'], // 4 × 10 kits
      bolt: [37, 'pcs'], //    8 × 2 power cubes = 16, + 20 × 1.05 = 21 at the top → 37
      motor: [4, 'pcs'],
    });
    // First-seen (depth-first, BOM order) order.
    expect(bom.lines.map((l) => l.id)).toEqual(['frame', 'engine', 'hose', 'fitting', 'bolt', 'motor']);
    expect(bom.warnings).toEqual([]);
    // Occurrences are lines visited, not pieces: a ×2 line is walked once.
    // top 4 + power-cube 3 + its hose-kit 2 + wheel-unit 2 + its hose-kit 2 = 13
    expect(bom.occurrences).toBe(13);
  });

  it('keeps every where-from path with the quantity it contributes', async () => {
    const bom = await explodeOf(lifetrac, [hoseKit, powerCube, wheelUnit]);
    const hose = bom.lines.find((l) => l.id === 'hose')!;
    // The tree is walked per occurrence: power-cube ×2 is one line (quantity 2), so one path.
    expect(hose.from).toEqual([
      { path: 'ose/lifetrac@1.0.0 > power-cube ×2 > ose/power-cube@1.1.0 > hose-kit > ose/hose-kit@1.0.0 > hose', quantity: 3.3 }, // 2 × 1 × 1.65
      { path: 'ose/lifetrac@1.0.0 > wheel-unit ×4 > ose/wheel-unit@1.0.0 > hose-kit ×2 > ose/hose-kit@1.0.0 > hose', quantity: 13.2 }, // 4 × 2 × 1.65
    ]);
    expect(hose.key).toBe('line:ose/hose-kit@1.0.0:hose');
  });

  it('merges by manufacturer + MPN across packages (case and spaces ignored), with the union of offers', async () => {
    const bom = await explodeOf(lifetrac, [hoseKit, powerCube, wheelUnit]);
    const bolt = bom.lines.find((l) => l.id === 'bolt')!;
    expect(bolt.key).toBe('mpn:generic|iso4017-m8x30');
    expect(bolt.name).toBe('Bolt M8x30'); // first occurrence (depth first: inside power-cube)
    expect(bolt.from.map((f) => f.quantity)).toEqual([16, 21]);
    // Fastenal/USD listed twice (once per package, different spelling) → kept once.
    expect(bolt.offers.map((o) => `${o.supplier}/${o.currency}`)).toEqual(['Fastenal/USD', 'Würth/EUR']);
  });

  it('the same part id in two packages is not merged; parts are scoped by package@version', async () => {
    const a = design('p/a', '1.0.0', [leaf('plate', 1, { part: 'plate', type: 'diy' })]);
    const root = design('p/top', '1.0.0', [leaf('plate', 2, { part: 'plate', type: 'diy' }), sub('a', 'p/a', '1.0.0', 3)]);
    const bom = await explodeOf(root, [a]);
    expect(bom.lines.map((l) => [l.key, l.quantity])).toEqual([['part:p/top@1.0.0:plate', 2], ['part:p/a@1.0.0:plate', 3]]);
  });

  it('different units of one merged part are kept apart, never summed, with a warning', async () => {
    const rodKg = { name: 'M8 threaded rod', manufacturer: 'Acme', mpn: 'TR-M8', type: 'raw' as const };
    const a = design('r/a', '1.0.0', [leaf('rod', 3, { ...rodKg, unit: 'pcs' })]);
    const root = design('r/top', '1.0.0', [leaf('rod', 0.5, { ...rodKg, unit: 'kg' }), sub('a', 'r/a', '1.0.0', 2), leaf('rod2', 0.25, { ...rodKg, unit: 'kg' })]);
    const bom = await explodeOf(root, [a]);
    expect(bom.lines.map((l) => [l.name, l.quantity, l.unit])).toEqual([
      ['M8 threaded rod', 0.75, 'kg'], // 0.5 + 0.25 kg
      ['M8 threaded rod', 6, 'pcs'], //   3 × 2
    ]);
    expect(bom.warnings).toEqual(['"M8 threaded rod" appears in kg and pcs; kept apart']);
  });

  it('fitted: false lines are excluded and listed apart; a not-fitted sub-assembly is not exploded', async () => {
    const kit = design('f/kit', '1.0.0', [leaf('screw', 4), leaf('led', 1, { fitted: false, references: ['D9'] })]);
    const optional = design('f/optional', '1.0.0', [leaf('heater', 1)]);
    const root = design('f/top', '1.0.0', [
      sub('kit', 'f/kit', '1.0.0', 2),
      sub('optional', 'f/optional', '1.0.0', 1, { fitted: false }),
      leaf('fuse', 1, { fitted: false, references: ['F1'] }),
    ]);
    const bom = await explodeOf(root, [kit, optional]);
    expect(bom.lines.map((l) => [l.id, l.quantity])).toEqual([['screw', 8]]);
    expect(bom.notFitted.map((l) => [l.id, l.quantity, l.references])).toEqual([
      ['led', 2, ['D9']], //       1 × 2 kits
      ['optional', 1, []], //      the sub-assembly line itself, not its heater
      ['fuse', 1, ['F1']],
    ]);
  });

  it('attrition on a sub-assembly line multiplies everything in it', async () => {
    // 10 boards + 10 % scrap = 11 boards; 3 chips per board, 2 % chip attrition: 3 × 1.02 × 11 = 33.66
    const board = design('b/board', '1.0.0', [leaf('chip', 3, { attritionPercent: 2 })]);
    const root = design('b/top', '1.0.0', [sub('board', 'b/board', '1.0.0', 10, { attritionPercent: 10 })]);
    const bom = await explodeOf(root, [board]);
    expect(bom.lines[0]!.quantity).toBe(33.66);
  });

  it('more than maxLines line occurrences → INVALID_REQUEST naming the limit', async () => {
    // A 4-line sub-assembly used ×1 by 3 lines: 3 + 3 × 4 = 15 occurrences.
    const s = design('l/s', '1.0.0', [leaf('a', 1), leaf('b', 1), leaf('c', 1), leaf('d', 1)]);
    const root = design('l/top', '1.0.0', [sub('s1', 'l/s', '1.0.0'), sub('s2', 'l/s', '1.0.0'), sub('s3', 'l/s', '1.0.0')]);
    const tree = await resolveTree({ package: root.name, version: root.version, manifest: root }, memoryRegistry([s]));
    expect(explode(tree, { maxLines: 15 }).occurrences).toBe(15);
    const e = await caught(() => explode(tree, { maxLines: 14 }));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe('the exploded BOM of l/top@1.0.0 has more than the limit of 14 lines');
    expect(e.details).toEqual({ limit: 14 });
  });
});
