import path from 'node:path';
import type { Command } from 'commander';
import semver from 'semver';
import { OhwError } from '../../schema/errors.ts';
import { readArchive } from '../../schema/archive.ts';
import { packageChecksum } from '../../schema/checksum.ts';
import { parsePackageSpec } from '../../schema/names.ts';
import { writeDesignFolder } from '../../io/design-folder.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';

interface VersionList { versions: Array<{ version: string; checksum: string; yanked: boolean }> }

/** Highest non-yanked version in range; an exact version is honoured even when yanked. */
export function pickVersion(pkg: string, range: string | undefined, versions: VersionList['versions']): { version: string; checksum: string; warning?: string } {
  if (range && semver.valid(range)) {
    const exact = versions.find((v) => v.version === semver.valid(range));
    if (!exact) throw new OhwError('NOT_FOUND', `version ${range} of ${pkg} not found (published: ${versions.map((v) => v.version).join(', ') || 'none'})`);
    return exact.yanked ? { ...exact, warning: `${pkg}@${exact.version} is yanked; downloading it because it was asked for exactly` } : exact;
  }
  const wanted = range ?? '*';
  if (!semver.validRange(wanted)) throw new CliError(`invalid version range "${wanted}"`, EXIT.usage);
  const candidates = versions.filter((v) => !v.yanked);
  const best = semver.maxSatisfying(candidates.map((v) => v.version), wanted);
  if (!best) {
    throw new OhwError('NOT_FOUND', `no published, non-yanked version of ${pkg} satisfies "${wanted}" (published: ${versions.map((v) => `${v.version}${v.yanked ? ' (yanked)' : ''}`).join(', ') || 'none'})`);
  }
  return candidates.find((v) => v.version === best)!;
}

export function downloadCommand(program: Command): void {
  program
    .command('download <package>')
    .description('download owner/name[@range], verify its checksum, unpack it')
    .option('-o, --output <dir>', 'target folder (default: ./<name>-<version>)')
    .option('--force', 'write into an existing non-empty folder')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, opts: { output?: string; force?: boolean; json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const { pkg, range } = parsePackageSpec(spec);
      const design = await client.json<VersionList>('GET', `/designs/${pkg}`);
      const picked = pickVersion(pkg, range, design.versions);
      if (picked.warning) process.stderr.write(`warning: ${picked.warning}\n`);
      const { body, headers } = await client.bytes(`/designs/${pkg}/versions/${picked.version}/archive`);
      const files = await readArchive(body);
      const actual = packageChecksum(files);
      if (actual !== picked.checksum || (headers['x-ohw-checksum'] && headers['x-ohw-checksum'] !== picked.checksum)) {
        throw new CliError(`checksum mismatch for ${pkg}@${picked.version}: the registry lists ${picked.checksum}, the download is ${actual}; nothing was written`, EXIT.network);
      }
      const out = path.resolve(opts.output ?? `${pkg.split('/')[1]}-${picked.version}`);
      await writeDesignFolder(out, files, opts.force ? { force: true } : {});
      if (opts.json) return printJson({ package: pkg, version: picked.version, checksum: actual, files: files.length, dir: out });
      process.stdout.write(`downloaded ${pkg}@${picked.version} (${files.length} files) into ${path.relative(process.cwd(), out) || out}\nchecksum verified: ${actual}\n`);
    });
}
