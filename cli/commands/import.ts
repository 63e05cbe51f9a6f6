import type { Command } from 'commander';
import { INTEROP_FORMATS, type InteropFormat } from '../../schema/types.ts';
import { parsePackageName } from '../../schema/names.ts';
import { readConfig } from '../config.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { runImport } from '../interop/batch.ts';
import { printJson } from '../output.ts';

interface ImportFlags { from?: string; out?: string; report?: string; publish?: boolean; owner?: string; json?: boolean; license?: string; licensor?: string }

/** Namespace of imported designs without --owner and without --publish. */
export const DEFAULT_IMPORT_OWNER = 'imported';

export function importCommand(program: Command): void {
  program
    .command('import <inputs...>')
    .description('import OKH v1, OKH-LOSH, OSHWA or Kitspace records (files, folders, JSON arrays, JSONL) as design folders')
    .option('--from <format>', `read every record as this format: ${INTEROP_FORMATS.join(', ')} (default: detected per record)`)
    .option('-o, --out <dir>', 'folder to write the designs into', 'imported')
    .option('--report <file>', 'write the report (per record: source, id, status, folder or issues; totals by reason) as JSON')
    .option('--publish', 'publish each accepted design to the registry (versions that exist are skipped)')
    .option('--owner <account>', 'namespace of the imported designs (default: your account with --publish, else "imported")')
    .option('--license <spdx>', 'Kitspace: the licence of projects whose folder has no LICENSE file (you state it; recorded as provenance.licenseFrom: importer)')
    .option('--licensor <name>', 'Kitspace: the licensor of projects whose LICENSE file names no copyright holder (same)')
    .option('--json', 'print the totals as JSON')
    .action(async (inputs: string[], flags: ImportFlags, cmd: Command) => {
      if (flags.from !== undefined && !(INTEROP_FORMATS as readonly string[]).includes(flags.from)) {
        throw new CliError(`--from must be one of ${INTEROP_FORMATS.join(', ')} (got "${flags.from}")`, EXIT.usage);
      }
      const client = flags.publish ? clientFor(cmd) : undefined;
      if (client) client.requireToken();
      const owner = flags.owner ?? (client ? readConfig().tokens?.[client.opts.registry]?.account : undefined) ?? DEFAULT_IMPORT_OWNER;
      try { parsePackageName(`${owner}/x`); } catch (e) { throw new CliError(`--owner: ${(e as Error).message}`, EXIT.usage); }

      const stop = { requested: false };
      const onSignal = () => { stop.requested = true; };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const totals = await runImport({
        inputs, outDir: flags.out ?? 'imported', owner, today: new Date().toISOString().slice(0, 10),
        progress: Boolean(process.stderr.isTTY) && !flags.json, stop,
        ...(flags.from ? { from: flags.from as InteropFormat } : {}),
        ...(flags.report ? { reportFile: flags.report } : {}),
        ...(client ? { publish: client } : {}),
        ...(flags.license || flags.licensor ? { asserted: { ...(flags.license ? { license: flags.license } : {}), ...(flags.licensor ? { licensor: flags.licensor } : {}) } } : {}),
      }).catch((e: Error) => { throw new CliError(e.message, EXIT.user); });
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);

      if (flags.json) printJson(totals);
      else {
        const reasons = Object.entries(totals.byReason).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
        process.stdout.write(`processed ${totals.processed}: ${totals.accepted} accepted, ${totals.refused} refused${reasons ? ` (${reasons})` : ''}\n` +
          (flags.publish ? `published ${totals.published}, already there ${totals.publishSkipped}\n` : '') +
          (flags.report ? `report: ${flags.report}\n` : '') +
          (totals.interrupted ? 'interrupted: the folders written so far are complete; run again to continue\n' : ''));
      }
      if (totals.interrupted) process.exitCode = 130;
      else if (totals.accepted === 0 && totals.processed > 0) process.exitCode = EXIT.user;
    });
}
