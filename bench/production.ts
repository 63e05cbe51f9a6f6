/**
 * Local production network benchmark (issue 16), on a real SQLite file through the same store
 * and domain code the server uses:
 *   - who can make a design: rank 10,000 facility profiles against one of 10,000 generated design
 *     versions' requirements, (a) near a point over all producers, (b) in a region (index), (c)
 *     within 100 km (lat/lon index); p50/p99 over 200 designs;
 *   - what a producer can make: one profile against all 10,000 designs' requirements; p50/p99
 *     over 200 producers;
 *   - the demand aggregate of one design with 100,000 active pledges in 200 regions, with the
 *     batch-cost curve of a 40-line BOM; p50/p99 over 20 runs.
 *
 *   npx tsx bench/production.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExplodedBom } from '../schema/bom/explode.ts';
import { FACILITY_LEVELS, PROCESS_CODES, type FacilityLevel, type Manifest, type ProcessCode } from '../schema/types.ts';
import { aggregateDemand } from '../server/domain/production/demand.ts';
import { matchProducer, rankProducers, requirementsOf, type Requirements } from '../server/domain/production/match.ts';
import { boundingBox } from '../server/domain/production/regions.ts';
import { parseProfile, servedRegions, type StoredProfile } from '../server/domain/production/profile.ts';
import { openDatabase } from '../server/store/sql/database.ts';
import { migrate } from '../server/store/sql/migrate.ts';
import { SqlProductionStore } from '../server/store/sql/production-store.ts';
import { percentile, printTable, rng } from './util.ts';

const PRODUCERS = 10_000;
const DESIGNS = 10_000;
const PLEDGES = 100_000;
const SAMPLES = 200;

const TOOLS = ['MIG welder', 'TIG welder', 'CNC router', 'laser cutter', 'drill press', 'lathe', '3D printer', 'soldering iron', 'multimeter',
  'angle grinder', 'band saw', 'plasma cutter', 'sewing machine', 'kiln', 'press brake', 'oscilloscope', 'hot air station', 'table saw'];
const SUBDIVISIONS = ['DE-BE', 'DE-BY', 'DE-BB', 'DE-HH', 'FR-IDF', 'FR-ARA', 'PL-14', 'PL-02', 'NL-NH', 'IT-25', 'ES-MD', 'AT-9', 'CZ-10', 'DK-84'];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const some = <T>(r: () => number, xs: readonly T[], n: number): T[] => [...new Set(Array.from({ length: n }, () => pick(r, xs)))];

function profile(r: () => number, i: number): StoredProfile {
  const region = pick(r, SUBDIVISIONS);
  const p = parseProfile({
    name: `Facility ${i}`,
    location: { country: region.slice(0, 2), region, lat: 36 + r() * 22, lon: -8 + r() * 32 },
    facilityLevel: pick(r, FACILITY_LEVELS),
    processes: some(r, PROCESS_CODES, 2 + Math.floor(r() * 6)),
    tools: some(r, TOOLS, 3 + Math.floor(r() * 8)),
    buildEnvelope: { x: 500 + r() * 3000, y: 500 + r() * 2000, z: 300 + r() * 1500, unit: 'mm' },
  });
  return { ...p, account: `maker${i % 4000}`, facility: `f${i}`, updatedAt: '2026-01-01T00:00:00.000Z' };
}

function design(r: () => number, i: number): Manifest {
  return {
    name: `bench/d${i}`,
    production: {
      processes: some(r, PROCESS_CODES, 1 + Math.floor(r() * 3)) as ProcessCode[],
      tools: some(r, TOOLS, Math.floor(r() * 4)).map((t) => (r() < 0.3 ? `${t}s (or ${pick(r, TOOLS)})` : t)),
      facilityLevel: pick(r, FACILITY_LEVELS) as FacilityLevel,
    },
    parts: [{ id: 'p', name: 'part', outerDimensionsMm: [100 + r() * 2000, 100 + r() * 1000, 50 + r() * 800] }],
  } as unknown as Manifest;
}

function bom(r: () => number): ExplodedBom {
  const lines = Array.from({ length: 40 }, (_, i) => ({
    key: `l${i}`, id: `l${i}`, package: 'bench/press@1.0.0', name: `line ${i}`, type: 'cots' as const, unit: 'pcs' as const,
    quantity: 1 + Math.floor(r() * 8), alternatives: [], references: [], from: [],
    offers: [{ supplier: 's', currency: 'EUR', priceBreaks: [{ qty: 1, price: 5 + r() * 50 }, { qty: 50, price: 4 + r() * 40 }, { qty: 500, price: 3 + r() * 30 }] }],
  }));
  return { root: 'bench/press@1.0.0', lines, notFitted: [], warnings: [], occurrences: 40 };
}

async function timed(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

export async function benchProduction(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-bench-production-'));
  const db = openDatabase(path.join(dir, 'ohw.db'));
  try {
    await migrate(db);
    const store = new SqlProductionStore(db);
    const r = rng(16);
    // Loading only: one fsync per row would measure the disk, not the queries.
    db.sqlite.pragma('synchronous = OFF');
    let t = performance.now();
    const profiles = Array.from({ length: PRODUCERS }, (_, i) => profile(r, i));
    for (const p of profiles) await store.putProfile(p, servedRegions(p));
    const loadProfiles = performance.now() - t;
    const designs: Requirements[] = Array.from({ length: DESIGNS }, (_, i) => requirementsOf(design(r, i)));

    t = performance.now();
    const regions = Array.from({ length: 200 }, (_, i) => `FR-${i}`);
    const rows = Array.from({ length: PLEDGES }, (_, i) => ({
      id: `pl_${i}`, account: `u${Math.floor(i / regions.length)}`, pkg: 'bench/press', version: '1.0.0', region: regions[i % regions.length]!,
      quantity: 1 + (i % 5), max_unit_price: i % 3 ? 300 + (i % 700) : null, currency: i % 3 ? 'EUR' : null, needed_by: null,
      status: 'active', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z',
    }));
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('pledges').values(rows.slice(i, i + 500)).execute();
    });
    const loadPledges = performance.now() - t;
    db.sqlite.pragma('synchronous = FULL');
    db.sqlite.exec('ANALYZE');

    const near = { lat: 52.52, lon: 13.4 };
    const all = await timed(SAMPLES, async (i) => rankProducers(await store.listProfiles(), designs[(i * 37) % DESIGNS], { near, limit: 50 }));
    const inRegion = await timed(SAMPLES, async (i) => rankProducers(await store.listProfiles({ region: 'DE-BE' }), designs[(i * 37) % DESIGNS], { near, region: 'DE-BE' }));
    const radius = await timed(SAMPLES, async (i) => rankProducers(await store.listProfiles({ box: boundingBox(near, 100) }), designs[(i * 37) % DESIGNS], { near, radiusKm: 100 }));
    let canMake = 0;
    const producerSide = await timed(SAMPLES, (i) => {
      const p = profiles[(i * 53) % PRODUCERS]!;
      canMake = 0;
      for (const d of designs) if (matchProducer(p, d).fit === 'full') canMake++;
    });
    const curve = bom(r);
    const demand = await timed(20, async () => {
      const data = await store.demand('bench/press');
      return aggregateDemand(data.rows, data.ceilings, curve);
    });
    const demandNoCurve = await timed(20, async () => {
      const data = await store.demand('bench/press');
      return aggregateDemand(data.rows, data.ceilings, undefined);
    });
    const f = (x: number) => x.toFixed(1);
    printTable('production network (ms)', ['operation', 'p50', 'p99'], [
      [`who can make X: ${PRODUCERS} producers, ranked by distance`, f(all.p50), f(all.p99)],
      ['who can make X: region=DE-BE (index)', f(inRegion.p50), f(inRegion.p99)],
      ['who can make X: within 100 km (lat/lon index)', f(radius.p50), f(radius.p99)],
      [`what can producer P make: ${DESIGNS} designs`, f(producerSide.p50), f(producerSide.p99)],
      [`demand aggregate: ${PLEDGES} pledges, 200 regions, with cost curve`, f(demand.p50), f(demand.p99)],
      ['demand aggregate: without cost curve (SQL + ceilings)', f(demandNoCurve.p50), f(demandNoCurve.p99)],
    ]);
    console.log(`(setup: ${PRODUCERS} profiles in ${(loadProfiles / 1000).toFixed(1)} s, ${PLEDGES} pledges in ${(loadPledges / 1000).toFixed(1)} s; last producer can fully make ${canMake} designs)`);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProduction();
