/**
 * `ohw bom` end to end: the real server (which seeds designs/) and the real CLI.
 *
 * Numbers come from designs/ose--power-cube/design.yaml (1.1.0), designs/ose--lifetrac/design.yaml
 * (6.0.0: power-cube ×2, ^1.1.0) and designs/ose--liberator-ceb-press/design.yaml (1.2.0:
 * power-cube ×1, ^1.0.0). If those designs change, re-work the commented arithmetic below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSeat } from '../helpers/processes.ts';
import { REPO_ROOT } from '../helpers/registry.ts';

const seat = useSeat();
const cli = (args: string[], cwd = REPO_ROOT) => seat.cli(args, { cwd });
const getJson = async (p: string) => {
  const res = await fetch(`${seat.server.url}/api/v1${p}`);
  expect(res.status, p).toBe(200);
  return res.json() as Promise<any>;
};

type Line = { key: string; name: string; unit: string; quantityPerUnit: number; needed: number; from: Array<{ path: string; quantity: number }>; chosen?: { supplier: string; breakQty: number; unitPrice: number; buyQuantity: number; extendedPrice: number; currency: string } };
const byName = (lines: Line[], prefix: string): Line => {
  const l = lines.filter((x) => x.name.startsWith(prefix));
  if (l.length !== 1) throw new Error(`${l.length} lines start with "${prefix}"`);
  return l[0]!;
};
const versionOf = (dir: string) => /^version:\s*(\S+)\s*$/m.exec(fs.readFileSync(path.join(REPO_ROOT, 'designs', dir, 'design.yaml'), 'utf8'))![1]!;
const CUBE = versionOf('ose--power-cube'); // 1.1.0
const TRACTOR = versionOf('ose--lifetrac'); // 6.0.0


describe('ohw bom', () => {
  it('explodes ose/lifetrac for 2 tractors: the power cube ×2 per tractor × 2 tractors', async () => {
    const r = await cli(['bom', 'ose/lifetrac', '--batch', '2', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b).toMatchObject({ package: 'ose/lifetrac', version: TRACTOR, batch: 2, currency: null });
    expect(b.tree.depth).toBe(1);
    expect(b.tree.packages.map((p: { package: string }) => p.package)).toEqual(['ose/lifetrac', 'ose/power-cube']);

    // Engine: 1 per cube × 2 cubes = 2 per tractor; × 2 tractors = 4 → the 4+ break, 4 × 2249.00 = 8996.00 USD.
    const engine = byName(b.lines, 'Gasoline engine');
    expect(engine).toMatchObject({ quantityPerUnit: 2, needed: 4 });
    expect(engine.chosen).toMatchObject({ supplier: 'Small Engine Warehouse', breakQty: 4, unitPrice: 2249, buyQuantity: 4, extendedPrice: 8996, currency: 'USD' });
    expect(engine.from).toEqual([{ path: `ose/lifetrac@${TRACTOR} > power-cube ×2 > ose/power-cube@${CUBE} > engine`, quantity: 2 }]);
    // Gear pump: 4 needed, below the 6+ break: 4 × 189.99 = 759.96 (6 × 174.00 = 1044.00 costs more).
    expect(byName(b.lines, 'Gear pump').chosen).toMatchObject({ buyQuantity: 4, unitPrice: 189.99, extendedPrice: 759.96 });
    // The pressure and return couplers share manufacturer + MPN (Surplus Center 928-C): merged,
    // 2 per cube × 2 × 2 = 8, below the 10+ break: 8 × 32.99 = 263.92 (10 × 29.50 = 295.00 costs more).
    const couplers = b.lines.filter((l: Line) => l.key === 'mpn:surplus center|928-c');
    expect(couplers).toHaveLength(1);
    expect(couplers[0]).toMatchObject({ quantityPerUnit: 4, needed: 8, chosen: { extendedPrice: 263.92 } });
    expect(couplers[0].from.map((f: { path: string }) => f.path.split(' > ').at(-1))).toEqual(['quick-coupler-pressure', 'quick-coupler-return']);
    // Angle iron: 8.4 m + 8 % = 9.072 m per cube, 18.144 per tractor, 36.288 m for 2 (metres are not rounded);
    // below the 60 m break: 36.288 × 9.80 = 355.6224 USD.
    expect(byName(b.lines, 'Angle iron')).toMatchObject({ unit: 'm', quantityPerUnit: 18.144, needed: 36.288, chosen: { extendedPrice: 355.6224 } });

    // Every power cube line, compared with the power cube's own BOM: ×2 per tractor, ×2 tractors.
    const own = await getJson(`/designs/ose/power-cube/versions/${CUBE}/bom`);
    for (const l of own.lines as Line[]) {
      const t = (b.lines as Line[]).find((x) => x.key === l.key && x.unit === l.unit)!;
      expect(t.quantityPerUnit, l.name).toBeCloseTo(2 * l.quantityPerUnit, 9);
      expect(t.needed, l.name).toBeCloseTo(l.unit === 'pcs' ? Math.ceil(4 * l.quantityPerUnit - 1e-9) : 4 * l.quantityPerUnit, 9);
    }

    // Tractor lines: wheel motors 8 × 459.00 = 3672.00; drive valves 4 × 249.00 = 996.00; tires 8 × 219.00 = 1752.00;
    // square tube 24 m + 8 % = 25.92 × 2 = 51.84 m at the 48+ break: × 27.90 = 1446.336.
    // With the cube's return filter 4 × 44.95 = 179.80 and oil cooler 4 × 219.00 = 876.00:
    // 8996 + 759.96 + 179.80 + 263.92 + 876 + 355.6224 + 3672 + 996 + 1752 + 1446.336 = 19297.6384 USD (10 lines).
    //
    // Cube lines with offers since bom-complete became strict, 4 cubes (2 per tractor × 2 tractors):
    //   relief valve 4 × 64.95 = 259.80; pressure gauge 4 × 24.95 = 99.80 (10 × 22.50 = 225.00 costs more);
    //   fittings kit 4 × 38.60 = 154.40; suction hose 1.5 m + 10 % = 1.65 × 4 = 6.6 m × 19.70 = 130.02;
    //   pressure hose 2 × 4 = 8 m × 24.60 = 196.80 (50 × 21.80 = 1090.00 costs more); battery 4 × 44.99 = 179.96;
    //   key switch 4 × 24.99 = 99.96; steel plate 38 kg + 15 % = 43.7 × 4 = 174.8 kg at the 100+ break × 2.20 = 384.56
    //   (500 × 1.98 = 990.00 costs more); steel tube 1.1 m + 5 % = 1.155 × 4 = 4.62 m × 131.00 = 605.22;
    //   fasteners 4 × 68.00 = 272.00; hydraulic oil 38 l + 10 % = 41.8 × 4 = 167.2 l at the 75.7+ break × 2.75 = 459.80;
    //   welding wire 2 kg + 20 % = 2.4 × 4 = 9.6 kg (≥ MOQ 5) × 10.99 = 105.504.
    //   Sum: 259.80 + 99.80 + 154.40 + 130.02 + 196.80 + 179.96 + 99.96 + 384.56 + 605.22 + 272.00 + 459.80 + 105.504
    //      = 2947.824 USD (12 lines; the shaft coupling is a made part, unpriced).
    // Tractor lines with offers since then, 2 tractors:
    //   loader valve 2 × 329.95 = 659.90; loader cylinders 4 at the 4+ break × 247.00 = 988.00;
    //   bucket cylinders 4 × 176.00 = 704.00; hoses 28 × 2 = 56 m at the 50+ break × 15.20 = 851.20;
    //   coupler pairs 8 × 64.95 = 519.60 (10 × 58.90 = 589.00 costs more); plate 320 kg + 15 % = 368 × 2 = 736 kg
    //   at the 500+ break × 1.98 = 1457.28; pins 20 at the 10+ break × 34.20 = 684.00;
    //   hydraulic oil 20 l + 10 % = 22 × 2 = 44 l × 2.91 = 128.04 (75.7 × 2.75 = 208.175 costs more; no MPN, so kept
    //   apart from the cube's oil line). The seat is not fitted, not bought.
    //   Sum: 659.90 + 988.00 + 704.00 + 851.20 + 519.60 + 1457.28 + 684.00 + 128.04 = 5992.02 USD (8 lines).
    // Total: 19297.6384 + 2947.824 + 5992.02 = 28237.4824 USD, 30 lines; per tractor 28237.4824 / 2 = 14118.7412.
    expect(byName(b.lines, 'Steel plate 1/4 in')).toMatchObject({ unit: 'kg', quantityPerUnit: 87.4, needed: 174.8, chosen: { breakQty: 100, unitPrice: 2.2, extendedPrice: 384.56 } });
    expect(byName(b.lines, 'Plate 1/4, 1/2')).toMatchObject({ unit: 'kg', quantityPerUnit: 368, needed: 736, chosen: { breakQty: 500, unitPrice: 1.98, extendedPrice: 1457.28 } });
    expect(byName(b.lines, 'Hydraulic oil AW46, top-up')).toMatchObject({ unit: 'l', needed: 44, chosen: { breakQty: 18.9, extendedPrice: 128.04 } });
    expect(byName(b.lines, 'Hydraulic oil AW46 (ISO VG 46)')).toMatchObject({ unit: 'l', needed: 167.2, chosen: { breakQty: 75.7, extendedPrice: 459.8 } });
    expect(b.totals).toEqual([{ currency: 'USD', amount: 28237.4824, perUnit: 14118.7412, lines: 30 }]);
    expect(b.notFitted.map((l: { name: string }) => l.name)).toEqual(['Suspension seat with seat switch']);
    expect(b.maxLeadTimeDays).toBe(14);
  });

  it('writes the documented CSV', async () => {
    const r = await cli(['bom', 'ose/lifetrac@^6.0.0', '--batch', '2', '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('References,Qty,Description,Manufacturer,MPN,Unit,Qty per unit,Supplier,SKU,Region,Buy qty,Unit price,Currency,Extended price,Lead time (days),Alternatives,Where used,Notes');
    expect(rows[1]!.startsWith(',4,"Gasoline engine, 28 hp')).toBe(true);
    expect(rows[1]).toContain(`",Briggs & Stratton (Vanguard),49M777 series,pcs,2,Small Engine Warehouse,,US,4,2249,USD,8996,14,Kohler CH740-3203 (functional),ose/lifetrac@${TRACTOR} > power-cube ×2 > ose/power-cube@${CUBE} > engine (×2),`);
    // The same CSV the registry serves.
    const res = await fetch(`${seat.server.url}/api/v1/designs/ose/lifetrac/versions/${TRACTOR}/bom?batch=2&format=csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await res.text()).toBe(r.stdout);
  });

  it('prints a table when asked', async () => {
    const r = await cli(['bom', 'ose/lifetrac', '--batch', '2', '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`BOM of ose/lifetrac@${TRACTOR} for a batch of 2`);
    expect(r.stdout).toContain('USD 28237.4824  (14118.7412 per unit, 30 lines)');
    expect(r.stdout).toContain('Not fitted (not bought):');
  });

  it('costs a design folder locally, resolving its power cube against the registry — same answer as the registry', async () => {
    const r = await cli(['bom', 'designs/ose--liberator-ceb-press', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const local = JSON.parse(r.stdout);
    expect(local.package).toBe('ose/liberator-ceb-press');
    expect(local.tree.packages[1]).toMatchObject({ package: 'ose/power-cube', version: CUBE });
    // One cube per press: the engine at 1 × 2389.00 (below the 4+ break).
    expect(byName(local.lines, 'Gasoline engine')).toMatchObject({ quantityPerUnit: 1, needed: 1, chosen: { extendedPrice: 2389 } });
    expect(local).toEqual(await getJson(`/designs/ose/liberator-ceb-press/versions/${local.version}/bom`));
  });

  it('works on an unpublished design folder', async () => {
    const dir = path.join(seat.work, 'my-press');
    fs.cpSync(path.join(REPO_ROOT, 'designs/ose--liberator-ceb-press'), dir, { recursive: true });
    const yaml = fs.readFileSync(path.join(dir, 'design.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'design.yaml'), yaml.replace(/^name: .*$/m, 'name: maria/my-press').replace(/^version: .*$/m, 'version: 0.1.0'));
    const r = await cli(['bom', './my-press', '--batch', '3', '--json'], seat.work);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b).toMatchObject({ package: 'maria/my-press', version: '0.1.0', batch: 3 });
    expect(b.tree.packages.map((p: { package: string; version: string }) => `${p.package}@${p.version}`)).toEqual(['maria/my-press@0.1.0', `ose/power-cube@${CUBE}`]);
    expect(byName(b.lines, 'Gasoline engine').needed).toBe(3);
    expect((await fetch(`${seat.server.url}/api/v1/designs/maria/my-press`)).status).toBe(404);
  });

  it('converts with rates given inline or as a file', async () => {
    const inline = await cli(['bom', 'ose/liberator-ceb-press', '--currency', 'EUR', '--rates', 'USD:1.08', '--json']);
    expect(inline.code).toBe(0);
    const a = JSON.parse(inline.stdout);
    expect(a.currency).toBe('EUR');
    expect(a.converted.note).toMatch(/^converted to EUR from USD with the given exchange rates, 1 EUR = 1\.08 USD$/);

    const file = path.join(seat.work, 'rates.json');
    fs.writeFileSync(file, JSON.stringify({ base: 'EUR', rates: { USD: 1.08 }, date: '2025-01-31' }));
    const fromFile = await cli(['bom', 'ose/liberator-ceb-press', '--rates', file, '--json']);
    expect(fromFile.code).toBe(0);
    const f = JSON.parse(fromFile.stdout);
    expect(f.converted.amount).toBe(a.converted.amount);
    expect(f.converted.date).toBe('2025-01-31');
  });

  it('refuses bad input with exit 1, and a bad --format with exit 2', async () => {
    let r = await cli(['bom', 'ose/lifetrac', '--batch', '1.5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: batch must be a whole number ≥ 1 (got "1.5")\n');
    r = await cli(['bom', 'ose/lifetrac', '--format', 'xml']);
    expect(r.code).toBe(2);
    r = await cli(['bom', 'ose/no-such-design']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('design ose/no-such-design not found');
  });
});

describe('where-used', () => {
  it('lists the press and the tractor as dependents of the power cube', async () => {
    const d = await getJson('/designs/ose/power-cube/dependents');
    expect(d.packages.map((p: { package: string }) => p.package)).toEqual(['ose/liberator-ceb-press', 'ose/lifetrac']);
    expect(d.dependents.every((x: { direct: boolean; yanked: boolean }) => x.direct && !x.yanked)).toBe(true);
  });
});
