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

function fail(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and version output are not failures.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
  }
  if (e instanceof OhwError) {
    process.stderr.write(`error: ${e.message}\n`);
    for (const i of e.issues ?? []) process.stderr.write(`  ${formatIssue(i)}\n`);
    return EXIT_OF[e.code];
  }
  if (e instanceof CliError) {
    process.stderr.write(`error: ${e.message}\n`);
    return e.exitCode;
  }
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  return EXIT.network;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = fail(e);
}
