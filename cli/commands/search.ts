import type { Command } from 'commander';
import { clientFor } from '../context.ts';
import { isTTY, printJson, table } from '../output.ts';

interface SearchHit {
  package: string; version: string; title: string; summary: string; processes: string[];
  licenses: string[]; certified: boolean; facilityLevel?: string; estimatedCost?: { amount: number; currency: string };
}
interface SearchAnswer { hits: SearchHit[]; total: number; facets: Record<string, Record<string, number>>; page: number; limit: number }

interface SearchFlags {
  license?: string; category?: string; process?: string; canMake?: string; tools?: string; maturity?: string;
  region?: string; facility?: string; certified?: boolean; sort?: string; page?: string; limit?: string;
  json?: boolean; table?: boolean; facets?: boolean; built?: boolean; producer?: string;
}

export function searchCommand(program: Command): void {
  program
    .command('search [query]')
    .description('find designs; a table on a terminal, JSON otherwise')
    .option('--license <spdx>', 'licence id (comma-separated for any of several)')
    .option('--category <category>', 'OSHWA category')
    .option('--process <code>', 'designs that use this process (comma-separated for any)')
    .option('--can-make <codes>', 'only designs whose processes are all in this set, e.g. ASM,3DP,LAS')
    .option('--tools <tools>', 'only designs whose tools are all in this set')
    .option('--facility <level>', 'needs at most this facility: apartment, garage, homestead, campus, factory')
    .option('--maturity <level>', 'OTRL-n or ODRL-n')
    .option('--region <code>', 'supplier offers in this region')
    .option('--certified', 'only certified designs')
    .option('--built', 'only designs with a successful build report')
    .option('--producer <account[/facility]>', 'only designs that producer’s profile can make (processes, facility level)')
    .option('--sort <order>', 'relevance, updated or cost')
    .option('--page <n>', 'page number (from 1)')
    .option('--limit <n>', 'hits per page (max 100)')
    .option('--facets', 'also print facet counts (table mode)')
    .option('--json', 'JSON output')
    .option('--table', 'table output even when not on a terminal')
    .action(async (query: string | undefined, f: SearchFlags, cmd: Command) => {
      const params = new URLSearchParams();
      const set = (k: string, v: string | undefined) => { if (v !== undefined && v !== '') params.set(k, v); };
      set('q', query);
      set('license', f.license); set('category', f.category); set('process', f.process); set('canMake', f.canMake);
      set('tools', f.tools); set('facility', f.facility); set('maturity', f.maturity); set('region', f.region);
      if (f.certified) params.set('certified', 'true');
      if (f.built) params.set('built', 'true');
      set('producer', f.producer);
      set('sort', f.sort); set('page', f.page); set('limit', f.limit);
      const res = await clientFor(cmd).json<SearchAnswer>('GET', `/search?${params}`);
      if (f.json || (!isTTY() && !f.table)) return printJson(res);
      const rows = res.hits.map((h) => [
        `${h.package}@${h.version}`,
        h.title.length > 40 ? h.title.slice(0, 39) + '…' : h.title,
        h.processes.join(','),
        h.licenses.join(' '),
        h.facilityLevel ?? '',
        h.estimatedCost ? `${h.estimatedCost.amount.toFixed(0)} ${h.estimatedCost.currency}` : '',
        h.certified ? '✓' : '',
      ]);
      process.stdout.write(table(['design', 'title', 'processes', 'licences', 'facility', 'est. cost', 'cert'], rows));
      process.stdout.write(`${res.total} design(s)${res.total > res.hits.length ? `, page ${res.page} (${res.limit} per page)` : ''}\n`);
      if (f.facets) {
        for (const [facet, counts] of Object.entries(res.facets)) {
          process.stdout.write(`${facet}: ${Object.entries(counts).map(([k, n]) => `${k} (${n})`).join(', ')}\n`);
        }
      }
    });
}
