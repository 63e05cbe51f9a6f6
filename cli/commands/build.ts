/** `ohw build report|list|endorse`: build reports ("I built this"), public and append-only. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson, table } from '../output.ts';
import { list } from './producer.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function pairs(values: string[] | undefined, flag: string, num: boolean): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i < 1) throw new CliError(`${flag}: give id=value (got ${v})`, EXIT.usage);
    const value = v.slice(i + 1);
    if (num && !Number.isFinite(Number(value))) throw new CliError(`${flag}: ${v.slice(0, i)} needs a number (got ${value})`, EXIT.usage);
    out[v.slice(0, i)] = num ? Number(value) : value;
  }
  return out;
}

function exact(spec: string): { pkg: string; version: string } {
  const { pkg, range } = parsePackageSpec(spec);
  if (!range) throw new CliError('give the exact version: owner/name@1.2.0', EXIT.usage);
  return { pkg, version: range };
}

interface ReportView { id: string; reporter: string; outcome: string; region: string; at: string; endorsedBy: string[]; correctedBy: string[]; record?: { commit: string } }

export function buildCommands(program: Command): void {
  const build = program.command('build').description('build reports: who built a design version, where, and how it went');
  build
    .command('report <package@version>')
    .description('report a build of a design version (public, append-only)')
    .requiredOption('--outcome <o>', 'works, works-with-changes or failed')
    .requiredOption('--region <R>', 'ISO 3166-2 region or country where it was built')
    .option('--level <level>', 'facility level used')
    .option('--processes <codes>', 'process codes used, comma-separated')
    .option('--hours <h>', 'hours spent')
    .option('--cost <amount>', 'what it cost')
    .option('--currency <C>', 'currency of --cost')
    .option('--qc <id=pass|fail|n/a>', 'result of a qualityControl item (repeat)', collect)
    .option('--measure <id=value>', 'measured value of a performance criterion (repeat)', collect)
    .option('--notes <text>', 'notes')
    .option('--photo <file>', 'a PNG, JPEG or WebP photo (repeat; at most 8, 5 MiB each)', collect)
    .option('--corrects <id>', 'this report corrects your earlier report <id>')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, f: {
      outcome: string; region: string; level?: string; processes?: string; hours?: string; cost?: string; currency?: string;
      qc?: string[]; measure?: string[]; notes?: string; photo?: string[]; corrects?: string; json?: boolean;
    }, cmd: Command) => {
      const { pkg, version } = exact(spec);
      const client = clientFor(cmd);
      client.requireToken();
      const photos: string[] = [];
      for (const file of f.photo ?? []) {
        // The registry recognises the type by content; the upload's declared type does not matter.
        const up = await client.upload<{ id: string }>('POST', '/photos', fs.readFileSync(file), {});
        photos.push(up.id);
      }
      const body: Record<string, unknown> = { outcome: f.outcome, region: f.region };
      if (f.level) body.facilityLevel = f.level;
      if (f.processes) body.processes = list(f.processes)!.map((p) => p.toUpperCase());
      if (f.hours !== undefined) body.hours = Number(f.hours);
      if (f.cost !== undefined) body.cost = { amount: Number(f.cost), currency: f.currency ?? '' };
      if (f.qc) body.qc = pairs(f.qc, '--qc', false);
      if (f.measure) body.measurements = pairs(f.measure, '--measure', true);
      if (f.notes) body.notes = f.notes;
      if (photos.length) body.photos = photos;
      if (f.corrects) body.corrects = f.corrects;
      const r = await client.json<ReportView>('POST', `/designs/${pkg}/versions/${encodeURIComponent(version)}/builds`, body);
      if (f.json) return printJson(r);
      process.stdout.write(`build report ${r.id} of ${pkg}@${version} recorded (${r.outcome}, ${r.region})${r.record ? `; index.git commit ${r.record.commit}` : ''}\n`);
    });
  build
    .command('list <package@version>')
    .description('build reports of a design version, newest first')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, f: { json?: boolean }, cmd: Command) => {
      const { pkg, version } = exact(spec);
      const res = await clientFor(cmd).json<{ summary: { builds: number; successful: number; successRate: number | null; regions: string[] }; reports: ReportView[] }>(
        'GET', `/designs/${pkg}/versions/${encodeURIComponent(version)}/builds`);
      if (f.json) return printJson(res);
      const s = res.summary;
      process.stdout.write(`${s.builds} build(s), ${s.successful} successful${s.successRate !== null ? ` (${s.successRate}%)` : ''}; regions: ${s.regions.join(', ') || '—'}\n`);
      if (res.reports.length) {
        process.stdout.write(table(['id', 'reporter', 'outcome', 'region', 'at', 'endorsed by', 'corrected by'], res.reports.map((r) => [
          r.id, r.reporter, r.outcome, r.region, r.at, r.endorsedBy.join(', '), r.correctedBy.join(', '),
        ])));
      }
    });
  build
    .command('endorse <package@version> <id>')
    .description('as an owner, endorse a build report (its reporter may then use the certified mark)')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, id: string, f: { json?: boolean }, cmd: Command) => {
      const { pkg, version } = exact(spec);
      const client = clientFor(cmd);
      client.requireToken();
      const r = await client.json<ReportView>('POST', `/designs/${pkg}/versions/${encodeURIComponent(version)}/builds/${encodeURIComponent(id)}/endorse`, {});
      if (f.json) return printJson(r);
      process.stdout.write(`endorsed build report ${id} of ${pkg}@${version} by ${r.reporter}\n`);
    });
}
