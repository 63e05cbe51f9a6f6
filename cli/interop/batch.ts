/**
 * One `ohw import` run: every record of every input is mapped (schema/interop), written as a
 * complete design folder, optionally published, and entered in the report (SPEC §8). The report
 * is streamed to its file record by record, so a run over a huge input keeps bounded memory.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { writeArchive } from '../../schema/archive.ts';
import { OhwError } from '../../schema/errors.ts';
import { importRecord, TABLES, type ImportedDesign, type InteropIssue } from '../../schema/interop/index.ts';
import type { InteropFormat } from '../../schema/types.ts';
import type { RegistryClient } from '../client.ts';
import { DesignWriter, FolderTaken } from './design-writer.ts';
import { IMPORT_LIMITS, listInputFiles, readRecords, type InputRecord } from './inputs.ts';

export interface ImportOptions {
  inputs: string[];
  from?: InteropFormat;
  outDir: string;
  owner: string;
  today: string;
  reportFile?: string;
  publish?: RegistryClient;
  progress: boolean;
  /** Licence and licensor the person importing states for Kitspace projects that state none. */
  asserted?: { license?: string; licensor?: string };
  /** Set by a signal handler: stop after the current record. */
  stop?: { requested: boolean };
}

export interface ReportRecord {
  source: string;
  id: string;
  status: 'accepted' | 'refused';
  folder?: string;
  written?: 'written' | 'unchanged' | 'replaced';
  published?: 'published' | 'exists' | 'failed';
  publishError?: string;
  unmapped?: string[];
  issues?: InteropIssue[];
}

export interface ImportTotals {
  processed: number;
  accepted: number;
  refused: number;
  byReason: Record<string, number>;
  published: number;
  publishSkipped: number;
  interrupted: boolean;
}

/** Issues kept per refused record in the report (the first ones are the reasons). */
const MAX_ISSUES = 10;

export async function runImport(o: ImportOptions): Promise<ImportTotals> {
  const files = await listInputFiles(o.inputs);
  const totals: ImportTotals = { processed: 0, accepted: 0, refused: 0, byReason: {}, published: 0, publishSkipped: 0, interrupted: false };
  const writer = new DesignWriter(o.outDir);
  const report = o.reportFile ? new ReportStream(o.reportFile) : undefined;
  const bar = o.progress ? progressBar(files) : undefined;
  const produced = new Map<string, string>();

  try {
    outer: for (const file of files) {
      for await (const input of readRecords(file, o.from, o.asserted)) {
        if (o.stop?.requested) { totals.interrupted = true; break outer; }
        if (totals.processed >= IMPORT_LIMITS.maxRecords) {
          totals.interrupted = true;
          process.stderr.write(`stopped after ${IMPORT_LIMITS.maxRecords.toLocaleString('en')} records (the limit of one run)\n`);
          break outer;
        }
        const entry = await one(input, o, writer, produced, totals);
        totals.processed++;
        if (entry.status === 'accepted') totals.accepted++;
        else {
          totals.refused++;
          const reason = entry.issues?.[0]?.code ?? 'refused';
          totals.byReason[reason] = (totals.byReason[reason] ?? 0) + 1;
        }
        report?.add(entry);
        bar?.tick(input.sourceBytes.byteLength, totals);
      }
      bar?.fileDone(file, totals);
    }
  } finally {
    bar?.stop();
    writer.close();
    report?.close(totals);
  }
  return totals;
}

async function one(input: InputRecord, o: ImportOptions, writer: DesignWriter, produced: Map<string, string>, totals: ImportTotals): Promise<ReportRecord> {
  const source = path.relative(process.cwd(), input.source) || input.source;
  if (input.problem || !input.format) {
    return { source, id: input.fallbackId, status: 'refused', issues: [input.problem ?? { path: '', code: 'not-a-record', message: 'not an OKH/OSHWA/Kitspace record' }] };
  }
  const run = (nameSuffix?: string) => importRecord(TABLES[input.format!], input.record, {
    owner: o.owner, today: o.today, fallbackId: input.fallbackId, sourceBytes: input.sourceBytes, sourceExt: input.sourceExt,
    ...(input.sideFiles ? { sideFiles: input.sideFiles } : {}),
    ...(nameSuffix ? { nameSuffix } : {}),
  });
  let outcome = run();
  if (outcome.status === 'refused') return { source, id: outcome.id, status: 'refused', issues: outcome.issues.slice(0, MAX_ISSUES) };

  // Two different records with one name (two repos both call their loom "OHLOOM"): the later one
  // gets a suffix derived from its source and id, so re-runs give it the same folder again.
  const key = `${source}\0${outcome.id}`;
  const first = produced.get(outcome.design.folder);
  if (first !== undefined && first !== key) {
    outcome = run(createHash('sha256').update(key).digest('hex').slice(0, 6));
    if (outcome.status === 'refused') return { source, id: outcome.id, status: 'refused', issues: outcome.issues.slice(0, MAX_ISSUES) };
    if (produced.has(outcome.design.folder)) {
      return { source, id: outcome.id, status: 'refused', issues: [{ path: '', code: 'duplicate-record', message: `this record (${outcome.id} in ${source}) appears twice in the input` }] };
    }
  }
  const d = outcome.design;
  produced.set(d.folder, key);
  let written: ReportRecord['written'];
  try {
    written = writer.write(d);
  } catch (e) {
    if (!(e instanceof FolderTaken)) throw e;
    return { source, id: outcome.id, status: 'refused', issues: [{ path: '', code: 'folder-exists', message: e.message }] };
  }
  const entry: ReportRecord = { source, id: outcome.id, status: 'accepted', folder: path.join(o.outDir, d.folder), written };
  if (d.unmapped.length) entry.unmapped = d.unmapped;
  if (o.publish) await publish(o.publish, d, entry, totals);
  return entry;
}

/** Publishes the version unless the registry has it already (re-runs skip what exists). */
async function publish(client: RegistryClient, d: ImportedDesign, entry: ReportRecord, totals: ImportTotals): Promise<void> {
  const version = /\nversion: (.+)\n/.exec(new TextDecoder().decode(d.files.find((f) => f.path === 'design.yaml')!.data))?.[1]?.replace(/^"|"$/g, '') ?? '0.1.0';
  const [owner, name] = d.name.split('/');
  try {
    const exists = await client.json('GET', `/designs/${owner}/${name}/versions/${version}`).then(() => true, (e) => {
      if (e instanceof OhwError && e.code === 'NOT_FOUND') return false;
      throw e;
    });
    if (exists) { entry.published = 'exists'; totals.publishSkipped++; return; }
    await client.upload('PUT', `/designs/${owner}/${name}/versions/${version}`, await writeArchive(d.files.map((f) => ({ path: f.path, data: f.data }))), {});
    entry.published = 'published';
    totals.published++;
  } catch (e) {
    if (e instanceof OhwError && e.code === 'VERSION_EXISTS') { entry.published = 'exists'; totals.publishSkipped++; return; }
    entry.published = 'failed';
    entry.publishError = e instanceof Error ? e.message : String(e);
  }
}

/** `{"records": [...], "processed": …}` written as it goes: records are never all held in memory. */
class ReportStream {
  private fd: number;
  private first = true;
  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.fd = fs.openSync(`${file}.partial`, 'w');
    fs.writeSync(this.fd, '{\n"records": [\n');
  }
  add(r: ReportRecord): void {
    fs.writeSync(this.fd, `${this.first ? '' : ',\n'}${JSON.stringify(r)}`);
    this.first = false;
  }
  close(t: ImportTotals): void {
    const { processed, accepted, refused, byReason, published, publishSkipped, interrupted } = t;
    const tail = JSON.stringify({ processed, accepted, refused, byReason, published, publishSkipped, interrupted }, null, 1).slice(1);
    fs.writeSync(this.fd, `\n],\n${tail}\n`);
    fs.closeSync(this.fd);
    fs.renameSync(`${this.file}.partial`, this.file);
  }
}

/** A bar over the input bytes, on a terminal only; each finished file moves it to that file's end. */
function progressBar(files: string[]) {
  const sizes = new Map(files.map((f) => [f, fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0]));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  let finished = 0;
  const bar = new cliProgress.SingleBar({
    format: 'importing {bar} {percentage}% | {records} records, {accepted} accepted, {refused} refused',
    stream: process.stderr, hideCursor: true, clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  let done = 0;
  let current = files[0] ?? '';
  bar.start(Math.max(total, 1), 0, { records: 0, accepted: 0, refused: 0 });
  const fields = (t: ImportTotals) => ({ records: t.processed, accepted: t.accepted, refused: t.refused });
  return {
    tick(bytes: number, t: ImportTotals) { done = Math.min(finished + (sizes.get(current) ?? 0), done + bytes); bar.update(done, fields(t)); },
    fileDone(file: string, t: ImportTotals) { finished += sizes.get(file) ?? 0; done = finished; current = files[files.indexOf(file) + 1] ?? ''; bar.update(done, fields(t)); },
    stop() { bar.update(total); bar.stop(); },
  };
}
