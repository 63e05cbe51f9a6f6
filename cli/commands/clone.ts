import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import semver from 'semver';
import { simpleGit } from 'simple-git';
import { OhwError } from '../../schema/errors.ts';
import { parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';

interface DesignView {
  package: string;
  latest: string | null;
  versions: Array<{ version: string; yanked: boolean }>;
  forkOf: { package: string; version: string } | null;
}

/** Where the upstream's tags of a fork live, on the server and in the clone (history, not versions). */
const UPSTREAM_REFSPEC = '+refs/upstream/tags/*:refs/upstream/tags/*';

/** The git URL of a design: `<registry>/git/<owner>/<name>.git`. */
export function gitUrl(registry: string, pkg: string): string {
  return `${registry.replace(/\/+$/, '')}/git/${pkg}.git`;
}

/**
 * A fork that has not published yet is checked out at the upstream's fork point, whose design.yaml
 * still names the upstream: rename it and record the lineage, so the next `ohw publish` is right.
 * Line-based, so the author's formatting and comments are kept.
 */
export function renameForFork(yaml: string, pkg: string, forkOf: { package: string; version: string }): string {
  const lines = yaml.split('\n');
  const out: string[] = [];
  let skipping = false;
  let named = false;
  for (const line of lines) {
    if (skipping && /^(\s|#|$)/.test(line) && line !== '') continue;
    skipping = false;
    if (/^forkOf\s*:/.test(line)) {
      skipping = true;
      continue;
    }
    if (!named && /^name\s*:/.test(line)) {
      out.push(`name: ${pkg}`, 'forkOf:', `  package: ${forkOf.package}`, `  version: "${forkOf.version}"`);
      named = true;
      continue;
    }
    out.push(line);
  }
  if (!named) out.unshift(`name: ${pkg}`, 'forkOf:', `  package: ${forkOf.package}`, `  version: "${forkOf.version}"`);
  return out.join('\n');
}

export function cloneCommand(program: Command): void {
  program
    .command('clone <package> [dir]')
    .description('git clone owner/name[@version] from the registry (tags are the versions)')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, dirArg: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const { pkg, range } = parsePackageSpec(spec);
      const client = clientFor(cmd);
      const design = await client.json<DesignView>('GET', `/designs/${pkg}`);
      const dir = path.resolve(dirArg ?? pkg.split('/')[1]!);
      if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
        throw new CliError(`${dir} already exists and is not empty`, EXIT.user);
      }

      let version: string | undefined;
      if (range) {
        // An exact version is honoured even when yanked (as `ohw download`); a range skips yanked ones.
        const exact = semver.valid(range);
        version = exact
          ? design.versions.find((v) => v.version === exact)?.version
          : semver.maxSatisfying(design.versions.filter((v) => !v.yanked).map((v) => v.version), range) ?? undefined;
        if (!version) throw new OhwError('NOT_FOUND', `no version of ${pkg} matches "${range}"`);
      } else {
        version = design.latest ?? undefined;
      }

      const url = gitUrl(client.opts.registry, pkg);
      try {
        await simpleGit().clone(url, dir, ['--quiet']);
      } catch (e) {
        throw new CliError(`git clone ${url} failed: ${(e as Error).message.trim()}`, EXIT.network);
      }
      const git = simpleGit(dir);
      let checkedOut: string | undefined;
      let renamed = false;
      if (design.forkOf) {
        // The upstream's history comes along, under its own names.
        await git.raw(['config', '--add', 'remote.origin.fetch', UPSTREAM_REFSPEC]);
        await git.raw(['fetch', '--quiet', 'origin', UPSTREAM_REFSPEC]);
      }
      if (version) {
        await git.raw(['checkout', '--quiet', '-B', 'main', `refs/tags/v${version}`]);
        checkedOut = `v${version}`;
      } else if (design.forkOf) {
        await git.raw(['checkout', '--quiet', '-B', 'main', `refs/upstream/tags/v${design.forkOf.version}`]);
        checkedOut = `${design.forkOf.package}@${design.forkOf.version}`;
        const manifest = path.join(dir, 'design.yaml');
        if (fs.existsSync(manifest)) {
          fs.writeFileSync(manifest, renameForFork(fs.readFileSync(manifest, 'utf8'), pkg, design.forkOf));
          renamed = true;
        }
      }

      const result = { package: pkg, url, dir, checkedOut: checkedOut ?? null, forkOf: design.forkOf, renamed };
      if (opts.json) return printJson(result);
      const rel = path.relative(process.cwd(), dir) || '.';
      process.stdout.write(
        `cloned ${url} into ${rel}\n` +
        (checkedOut ? `checked out ${checkedOut} on branch main\n` : 'no published version yet: nothing checked out\n') +
        (design.forkOf ? `fork of ${design.forkOf.package}@${design.forkOf.version}; its history is under refs/upstream/tags/*\n` : '') +
        (renamed ? `design.yaml now names ${pkg} (forkOf ${design.forkOf!.package}@${design.forkOf!.version}): edit it, bump the version, commit, then \`ohw publish\`\n` : ''),
      );
    });
}
