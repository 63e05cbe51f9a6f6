/**
 * `ohw pledge` (take N units of a design in a region, optionally up to a price), `ohw pledges`
 * (yours, with the runs in their regions) and `ohw demand` (the public aggregate).
 */
import type { Command } from 'commander';
import { parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson, table } from '../output.ts';

interface PledgeView {
  id: string; package: string; version: string; region: string; quantity: number; maxUnitPrice: number | null; currency: string | null;
  neededBy: string | null; status: string; runs?: Array<{ id: string; state: string; unitPrice: number; currency: string; deadline: string; committed: boolean }>;
}

interface DemandView {
  package: string; version: string;
  regions: Array<{
    region: string; pledgers: number; units: number; ceilings: Array<{ currency: string; min: number; median: number; max: number }>;
    unitCost: { amount: number; currency: string; otherCurrencies: string[] } | null; nextBreak: { text: string } | null;
  }>;
}

function whole(v: string, flag: string): number {
  if (!/^\d+$/.test(v.trim())) throw new CliError(`${flag}: a whole number ≥ 1 (got ${v})`, EXIT.usage);
  return Number(v);
}

export function pledgeCommands(program: Command): void {
  program
    .command('pledge <package>')
    .description('pledge to take N units of owner/name in a region (edits your pledge there if you have one)')
    .requiredOption('--region <R>', 'ISO 3166-2 region or ISO 3166-1 country, e.g. DE-BE')
    .option('--qty <n>', 'units you will take')
    .option('--max-price <p>', 'the most you would pay per unit')
    .option('--currency <C>', 'ISO 4217 currency of --max-price, e.g. EUR')
    .option('--needed-by <YYYY-MM-DD>', 'when you need them')
    .option('--withdraw', 'withdraw your pledge in this region')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, f: { region: string; qty?: string; maxPrice?: string; currency?: string; neededBy?: string; withdraw?: boolean; json?: boolean }, cmd: Command) => {
      const { pkg, range } = parsePackageSpec(spec);
      const client = clientFor(cmd);
      client.requireToken();
      const mine = (await client.json<{ pledges: PledgeView[] }>('GET', '/pledges')).pledges
        .find((p) => p.status === 'active' && p.package === pkg && p.region === f.region.trim().toUpperCase());
      let out: PledgeView;
      if (f.withdraw) {
        if (!mine) throw new CliError(`you have no active pledge for ${pkg} in ${f.region}`, EXIT.user);
        out = await client.json<PledgeView>('DELETE', `/pledges/${mine.id}`);
      } else {
        if (f.qty === undefined) throw new CliError('give --qty N (or --withdraw)', EXIT.usage);
        const body: Record<string, unknown> = { region: f.region, quantity: whole(f.qty, '--qty') };
        if (range) body.version = range;
        if (f.maxPrice !== undefined) body.maxUnitPrice = Number(f.maxPrice);
        if (f.currency) body.currency = f.currency;
        if (f.neededBy) body.neededBy = f.neededBy;
        out = mine ? await client.json<PledgeView>('PUT', `/pledges/${mine.id}`, body) : await client.json<PledgeView>('POST', `/designs/${pkg}/pledges`, body);
      }
      if (f.json) return printJson(out);
      process.stdout.write(out.status === 'withdrawn'
        ? `withdrew pledge ${out.id} (${out.package} in ${out.region})\n`
        : `${mine ? 'updated' : 'pledged'}: ${out.quantity} × ${out.package}@${out.version} in ${out.region}` +
          `${out.maxUnitPrice !== null ? ` at most ${out.maxUnitPrice} ${out.currency} each` : ''}${out.neededBy ? `, needed by ${out.neededBy}` : ''} (pledge ${out.id})\n`);
    });

  program
    .command('pledges')
    .description('your pledges and the production runs in their regions')
    .option('--json', 'machine-readable result')
    .action(async (f: { json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      client.requireToken();
      const res = await client.json<{ pledges: PledgeView[] }>('GET', '/pledges');
      if (f.json) return printJson(res);
      if (!res.pledges.length) return void process.stdout.write('no pledges (ohw pledge owner/name --region R --qty N)\n');
      process.stdout.write(table(['pledge', 'design', 'region', 'qty', 'ceiling', 'status', 'runs'], res.pledges.map((p) => [
        p.id, `${p.package}@${p.version}`, p.region, p.quantity, p.maxUnitPrice !== null ? `${p.maxUnitPrice} ${p.currency}` : '', p.status,
        (p.runs ?? []).map((r) => `${r.id} ${r.state} ${r.unitPrice} ${r.currency}${r.committed ? ' (committed)' : ''}`).join('; '),
      ])));
    });

  program
    .command('demand <package>')
    .description('pledged demand for owner/name per region, set against its batch-cost curve')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, f: { json?: boolean }, cmd: Command) => {
      const { pkg } = parsePackageSpec(spec);
      const res = await clientFor(cmd).json<DemandView>('GET', `/designs/${pkg}/demand`);
      if (f.json) return printJson(res);
      process.stdout.write(`demand for ${res.package}@${res.version}\n`);
      if (!res.regions.length) return void process.stdout.write('no pledges yet\n');
      process.stdout.write(table(['region', 'pledgers', 'units', 'ceilings (min / median / max)', 'unit cost', 'next price break'], res.regions.map((r) => [
        r.region, r.pledgers, r.units,
        r.ceilings.map((c) => `${c.min} / ${c.median} / ${c.max} ${c.currency}`).join('; '),
        r.unitCost ? `${r.unitCost.amount} ${r.unitCost.currency}${r.unitCost.otherCurrencies.length ? ` + ${r.unitCost.otherCurrencies.join(', ')} lines` : ''}` : '',
        r.nextBreak?.text ?? '',
      ])));
    });
}
