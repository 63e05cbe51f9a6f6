/**
 * Import throughput (issue 15) on the OSHWA directory file of the shared corpus
 * (../shared/corpus/oshwa/projects.json, 3,053 records): records per second through the mapping
 * core alone (map + validate each record, in memory), and through a whole `ohw import` run
 * (streamed read, folders written by rename, report). Skipped when the corpus is absent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runImport } from '../cli/interop/batch.ts';
import { importRecord, TABLES } from '../schema/interop/index.ts';
import { printTable } from './util.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OSHWA = path.resolve(root, '../shared/corpus/oshwa/projects.json');

export async function benchImport(): Promise<void> {
  if (!fs.existsSync(OSHWA)) {
    console.log(`skipped: ${OSHWA} not found (the shared corpus sits beside the repository)`);
    return;
  }
  const records = JSON.parse(fs.readFileSync(OSHWA, 'utf8')) as unknown[];
  const enc = new TextEncoder();
  const rows: Array<Array<string | number>> = [];

  const once = (): number => {
    let n = 0;
    for (const [i, r] of records.entries()) {
      const o = importRecord(TABLES.oshwa, r, { owner: 'bench', today: '2026-01-01', fallbackId: `#${i}`, sourceBytes: enc.encode(JSON.stringify(r)), sourceExt: 'json' });
      if (o.status === 'accepted') n++;
    }
    return n;
  };
  once(); // warm-up: schema compilation and JIT
  const t0 = performance.now();
  const accepted = once();
  const core = (performance.now() - t0) / 1000;
  rows.push(['mapping core (map + validate, in memory)', records.length, accepted, core.toFixed(2), Math.round(records.length / core)]);

  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-bench-import-'));
  try {
    const t1 = performance.now();
    const totals = await runImport({ inputs: [OSHWA], outDir: out, owner: 'bench', today: '2026-01-01', reportFile: path.join(out, 'report.json'), progress: false });
    const full = (performance.now() - t1) / 1000;
    rows.push(['ohw import (stream, write folders, report)', totals.processed, totals.accepted, full.toFixed(2), Math.round(totals.processed / full)]);
    const t2 = performance.now();
    const again = await runImport({ inputs: [OSHWA], outDir: out, owner: 'bench', today: '2026-01-01', progress: false });
    const rerun = (performance.now() - t2) / 1000;
    rows.push(['ohw import again (all unchanged)', again.processed, again.accepted, rerun.toFixed(2), Math.round(again.processed / rerun)]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  printTable('Import of the OSHWA directory (corpus oshwa/projects.json)', ['path', 'records', 'accepted', 'seconds', 'records/s'], rows);
}
