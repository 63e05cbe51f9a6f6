/**
 * BOM core benchmark: resolve + explode + cost on a generated 5-level tree (root + 4 levels of
 * sub-assemblies, fan-out 4: 1 + 4 + 16 + 64 + 256 = 341 packages), leaf lines spread over the 256
 * bottom packages, served by the in-memory BomRegistry.
 *
 * Leaves look like real BOM lines: MPNs drawn from a pool a quarter the size of the line count
 * (so merging happens), 1–3 offers with price breaks in EUR/USD/GBP, MOQs, lead times, 5 % with
 * attrition, 2 % not fitted, 5 % in kg. Costed for a batch of 100 with exchange rates.
 *
 *   npx tsx bench/bom.ts
 */
import { costBatch } from '../schema/bom/cost.ts';
import { bomToCsv } from '../schema/bom/csv.ts';
import { explode } from '../schema/bom/explode.ts';
import { memoryRegistry } from '../schema/bom/memory-registry.ts';
import { resolveTree } from '../schema/bom/resolve.ts';
import type { BomLine, Manifest, Offer } from '../schema/types.ts';
import { rng } from './util.ts';

const FANOUT = 4;
const LEVELS = 4; // sub-assembly levels below the root
const RUNS = 7;

function manifest(name: string, bom: BomLine[]): Manifest {
  return {
    manifestVersion: '1', name, version: '1.0.0', title: name, summary: name, function: name,
    documentationLanguage: 'en', licensor: [{ name: 'bench' }],
    license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    docs: { readme: 'README.md', sources: ['src'] }, bom, production: { processes: ['ASM'] },
  };
}


export function generate(leafLines: number): { root: Manifest; others: Manifest[]; leaves: number } {
  const rand = rng(42);
  const bottom = FANOUT ** LEVELS;
  const perBottom = Math.ceil(leafLines / bottom);
  const pool = Math.max(1, Math.floor(leafLines / 4));
  const currencies = ['EUR', 'USD', 'GBP'];
  const suppliers = ['Digi-Key', 'Mouser', 'LCSC', 'Würth', 'RS Components', 'Farnell'];
  const others: Manifest[] = [];
  let leaves = 0;

  const leaf = (pkgIndex: number, i: number): BomLine => {
    const part = Math.floor(rand() * pool);
    const offers: Offer[] = [];
    const n = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) {
      const base = Math.round((0.01 + rand() * 20) * 1e4) / 1e4;
      offers.push({
        supplier: suppliers[(part + k) % suppliers.length]!, sku: `SKU-${part}-${k}`, region: k % 2 ? 'EU' : 'US',
        currency: currencies[(part + k) % currencies.length]!,
        priceBreaks: [{ qty: 1, price: base }, { qty: 100, price: Math.round(base * 0.8 * 1e4) / 1e4 }, { qty: 1000, price: Math.round(base * 0.6 * 1e4) / 1e4 }],
        ...(rand() < 0.2 ? { moq: 50 } : {}),
        leadTimeDays: Math.floor(rand() * 60),
      });
    }
    const kg = part % 20 === 0;
    return {
      id: `l${pkgIndex}-${i}`, name: `Part ${part}`, type: kg ? 'raw' : 'cots',
      quantity: kg ? Math.round(rand() * 1000) / 1000 + 0.001 : 1 + Math.floor(rand() * 4),
      ...(kg ? { unit: 'kg' as const } : {}),
      manufacturer: `Maker ${part % 50}`, mpn: `MPN-${part}`,
      references: [`R${i}`],
      ...(rand() < 0.05 ? { attritionPercent: 5 } : {}),
      ...(rand() < 0.02 ? { fitted: false } : {}),
      offers,
    };
  };

  let counter = 0;
  const build = (level: number, path: string): string => {
    const name = `bench/n${path || 'root'}`;
    const idx = counter++;
    let bom: BomLine[];
    if (level === LEVELS) {
      bom = [];
      for (let i = 0; i < perBottom && leaves < leafLines; i++, leaves++) bom.push(leaf(idx, i));
      if (bom.length === 0) bom.push(leaf(idx, 0));
    } else {
      bom = [];
      for (let k = 0; k < FANOUT; k++) {
        const child = build(level + 1, `${path}-${k}`);
        bom.push({ id: `s${k}`, name: `Sub ${k}`, type: 'subassembly', quantity: 1 + (k % 2), subassembly: { package: child, version: '^1.0.0' } });
      }
    }
    const m = manifest(name, bom);
    if (level > 0) others.push(m);
    return level === 0 ? (others.push(m), name) : name;
  };
  const rootName = build(0, '');
  const root = others.pop()!;
  if (root.name !== rootName) throw new Error('generator bug');
  return { root, others, leaves };
}

async function runOnce(root: Manifest, others: Manifest[]): Promise<{ ms: number; lines: number; occurrences: number; csvMs: number }> {
  const reg = memoryRegistry(others);
  const t0 = performance.now();
  const tree = await resolveTree({ package: root.name, version: root.version, manifest: root }, reg);
  const bom = explode(tree);
  const costing = costBatch(bom, { batch: 100, currency: 'EUR', rates: { base: 'EUR', rates: { USD: 1.08, GBP: 0.85 } } });
  const t1 = performance.now();
  const csv = bomToCsv(costing);
  const t2 = performance.now();
  if (csv.length === 0) throw new Error('empty csv');
  return { ms: t1 - t0, lines: costing.lines.length, occurrences: bom.occurrences, csvMs: t2 - t1 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function benchBom(): Promise<void> {
  const results: Array<{ leaves: number; median: number; csv: number }> = [];
  for (const target of [2_000, 20_000]) {
    const { root, others, leaves } = generate(target);
    await runOnce(root, others); // warm-up (JIT)
    const times: number[] = [];
    const csvTimes: number[] = [];
    let info = { lines: 0, occurrences: 0 };
    for (let r = 0; r < RUNS; r++) {
      const res = await runOnce(root, others);
      times.push(res.ms);
      csvTimes.push(res.csvMs);
      info = res;
    }
    const med = median(times);
    results.push({ leaves, median: med, csv: median(csvTimes) });
    console.log(
      `bom ${leaves.toLocaleString('en-US')} leaf lines (${others.length + 1} packages, ${info.occurrences} occurrences → ${info.lines} merged lines): ` +
      `resolve+explode+cost median ${med.toFixed(1)} ms of ${RUNS} [${times.map((t) => t.toFixed(1)).join(', ')}]; csv ${median(csvTimes).toFixed(1)} ms`,
    );
  }
  const [a, b] = results;
  if (a && b) console.log(`bom ratio 20k/2k: ${(b.median / a.median).toFixed(2)}× for ${(b.leaves / a.leaves).toFixed(1)}× the lines`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchBom();
}
