import { Command, CommanderError } from 'commander';
import { OhwError, formatIssue } from '../schema/errors.ts';
import { CliError, EXIT, EXIT_OF } from './exit-codes.ts';
import { commands } from './commands/index.ts';

const program = new Command('ohw')
  .description('Open Hardware Commons: validate, publish, find and build open hardware designs')
  .option('--registry <url>', 'registry URL (default: $OHW_REGISTRY, the config file, or http://127.0.0.1:8787)')
  .showHelpAfterError()
  .exitOverride();

for (const add of commands) add(program);

/** `--json` anywhere on the line: a failure is JSON on stdout too, so scripts parse one stream. */
const wantsJson = process.argv.slice(2).includes('--json');

function report(code: string, message: string, issues?: OhwError['issues']): void {
  if (wantsJson) {
    process.stdout.write(JSON.stringify({ error: { code, message, ...(issues?.length ? { issues } : {}) } }, null, 2) + '\n');
    return;
  }
  process.stderr.write(`error: ${message}\n`);
  for (const i of issues ?? []) process.stderr.write(`  ${formatIssue(i)}\n`);
}

function fail(e: unknown): number {
  if (e instanceof CommanderError) {
    // Explicit help and version output are not failures. A bare `ohw` or `ohw certify` (a group
    // without its subcommand) prints the help as a usage error: exit 2.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || (e.code === 'commander.help' && e.exitCode === 0)) return EXIT.ok;
    if (wantsJson && e.code !== 'commander.help') report('USAGE', e.message.replace(/^error: /, ''));
    return EXIT.usage;
  }
  if (e instanceof OhwError) {
    report(e.code, e.message, e.issues);
    return EXIT_OF[e.code];
  }
  if (e instanceof CliError) {
    report(e.exitCode === EXIT.usage ? 'USAGE' : e.exitCode === EXIT.network ? 'NETWORK' : 'ERROR', e.message);
    return e.exitCode;
  }
  report('NETWORK', e instanceof Error ? e.message : String(e));
  return EXIT.network;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = fail(e);
}
