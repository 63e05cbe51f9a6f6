/** `ohw run open|show|commit|advance`: community production runs. */
import type { Command } from 'commander';
import { parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';

interface RunView {
  id: string; package: string; version: string; producer: string; region: string; minQuantity: number; unitPrice: number; currency: string;
  deadline: string; state: string; committedUnits: number; eligibleUnits: number; yourCommitment?: { units: number };
  transitions: Array<{ from: string | null; to: string; actor: string; at: string }>;
}

const describe = (r: RunView) =>
  `run ${r.id}: ${r.package}@${r.version} in ${r.region} by ${r.producer} — ${r.state}\n` +
  `price:     ${r.unitPrice} ${r.currency} per unit, minimum ${r.minQuantity}, deadline ${r.deadline}\n` +
  `committed: ${r.committedUnits} of ${r.minQuantity} unit(s); ${r.eligibleUnits} pledged unit(s) in the region cover the price\n` +
  (r.yourCommitment ? `you:       ${r.yourCommitment.units} unit(s) committed\n` : '') +
  r.transitions.map((t) => `  ${t.at}  ${t.from ?? '—'} → ${t.to}  (${t.actor})\n`).join('');

/** A run as the user asked for it: JSON, or the short description. */
function show(r: RunView, f: { json?: boolean }): void {
  if (f.json) printJson(r);
  else process.stdout.write(describe(r));
}

export function runCommands(program: Command): void {
  const run = program.command('run').description('community production runs');
  run
    .command('open <package@version>')
    .description('open a run of a design version in a region (producers)')
    .requiredOption('--region <R>', 'ISO 3166-2 region or country')
    .requiredOption('--min <n>', 'minimum quantity to go ahead')
    .requiredOption('--price <p>', 'unit price')
    .requiredOption('--currency <C>', 'ISO 4217 currency')
    .requiredOption('--deadline <YYYY-MM-DD>', 'last day to reach the minimum')
    .option('--facility <id>', 'which of your facilities makes it')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, f: { region: string; min: string; price: string; currency: string; deadline: string; facility?: string; json?: boolean }, cmd: Command) => {
      const { pkg, range } = parsePackageSpec(spec);
      if (!range) throw new CliError('give the exact version: ohw run open owner/name@1.2.0 …', EXIT.usage);
      const client = clientFor(cmd);
      client.requireToken();
      const body: Record<string, unknown> = { package: pkg, version: range, region: f.region, minQuantity: Number(f.min), unitPrice: Number(f.price), currency: f.currency, deadline: f.deadline };
      if (f.facility) body.facility = f.facility;
      const r = await client.json<RunView>('POST', '/runs', body);
      show(r, f);
    });
  run
    .command('show <id>')
    .option('--json', 'machine-readable result')
    .action(async (id: string, f: { json?: boolean }, cmd: Command) => {
      const r = await clientFor(cmd).json<RunView>('GET', `/runs/${encodeURIComponent(id)}`);
      show(r, f);
    });
  run
    .command('commit <id>')
    .description('commit your pledge in the run’s region (its ceiling must cover the price)')
    .option('--json', 'machine-readable result')
    .action(async (id: string, f: { json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      client.requireToken();
      const r = await client.json<RunView>('POST', `/runs/${encodeURIComponent(id)}/commit`, {});
      show(r, f);
    });
  run
    .command('advance <id> <action>')
    .description('move your run on: start (funded → in-production), deliver, or cancel (while open)')
    .option('--json', 'machine-readable result')
    .action(async (id: string, action: string, f: { json?: boolean }, cmd: Command) => {
      if (!['start', 'deliver', 'cancel'].includes(action)) throw new CliError(`action must be start, deliver or cancel (got ${action})`, EXIT.usage);
      const client = clientFor(cmd);
      client.requireToken();
      const r = await client.json<RunView>('POST', `/runs/${encodeURIComponent(id)}/${action}`, {});
      show(r, f);
    });
}
