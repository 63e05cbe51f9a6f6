import type { Command } from 'commander';
import { parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';

export function yankCommand(program: Command): void {
  program
    .command('yank <package>')
    .description('hide owner/name@version from resolution and search (still downloadable exactly)')
    .option('--undo', 'un-yank the version')
    .option('--reason <text>', 'why it is yanked (shown to users)')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, opts: { undo?: boolean; reason?: string; json?: boolean }, cmd: Command) => {
      const { pkg, range } = parsePackageSpec(spec);
      if (!range) throw new CliError('give the exact version: ohw yank owner/name@1.2.3', EXIT.usage);
      const client = clientFor(cmd);
      client.requireToken();
      const path = `/designs/${pkg}/versions/${encodeURIComponent(range)}/yank`;
      const res = opts.undo
        ? await client.json<{ yanked: boolean }>('DELETE', path)
        : await client.json<{ yanked: boolean }>('POST', path, opts.reason ? { reason: opts.reason } : {});
      if (opts.json) return printJson(res);
      process.stdout.write(`${pkg}@${range} ${res.yanked ? 'yanked' : 'un-yanked'}\n`);
    });
}
