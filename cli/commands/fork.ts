import type { Command } from 'commander';
import { parsePackageName, parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';

interface ForkView { package: string; owners: string[]; forkOf: { package: string; version: string; at: string; by: string } }

export function forkCommand(program: Command): void {
  program
    .command('fork <package>')
    .description('fork owner/name[@version] into your account, keeping its history and lineage')
    .option('--as <owner/name>', 'name of the fork (default: <you>/<name>)')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, opts: { as?: string; json?: boolean }, cmd: Command) => {
      const { pkg, range } = parsePackageSpec(spec);
      const body: { owner?: string; name?: string; version?: string } = {};
      if (range) body.version = range;
      if (opts.as) {
        const target = parsePackageName(opts.as);
        body.owner = target.owner;
        body.name = target.name;
      }
      const client = clientFor(cmd);
      client.requireToken();
      if (range && !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(range)) {
        throw new CliError(`fork from an exact version (owner/name@1.2.0), not a range ("${range}")`, EXIT.usage);
      }
      const [owner, name] = pkg.split('/');
      const fork = await client.json<ForkView>('POST', `/designs/${owner}/${name}/fork`, body);
      if (opts.json) return printJson(fork);
      process.stdout.write(
        `forked ${fork.forkOf.package}@${fork.forkOf.version} as ${fork.package}\n` +
        `get the sources:  ohw clone ${fork.package}\n` +
        `then edit, bump the version in design.yaml, commit and \`ohw publish\`\n`,
      );
    });
}
