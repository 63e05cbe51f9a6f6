import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { simpleGit } from 'simple-git';
import { writeArchive } from '../../schema/archive.ts';
import { packageChecksum } from '../../schema/checksum.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { loadLocalDesign, requireValid, type LocalDesign } from '../local-design.ts';
import { humanBytes, printIssues, printJson, progress } from '../output.ts';

/**
 * The source commit of a design kept in git, or undefined outside a work tree. A work tree with
 * uncommitted changes to the design's packaged files is refused unless allowDirty: the recorded
 * commit would not be what is published. Changes elsewhere in the checkout (another design, a
 * file the design's .ohwignore leaves out) do not matter: they are not published.
 */
async function sourceCommit(design: LocalDesign, allowDirty: boolean): Promise<string | undefined> {
  const git = simpleGit(design.dir);
  if (!(await git.checkIsRepo().catch(() => false))) return undefined;
  const top = (await git.revparse(['--show-toplevel'])).trim();
  const packaged = new Set(design.files.map((f) => f.path));
  const status = await git.status(['--', '.']);
  const relevant = status.files.filter((f) => {
    const abs = path.resolve(top, f.path);
    const rel = path.relative(design.dir, abs).split(path.sep).join('/');
    if (rel.startsWith('../')) return false;
    // Packaged files, and deletions (a removed file is not in the folder, but was in the commit).
    return packaged.has(rel) || !fs.existsSync(abs);
  });
  if (relevant.length) {
    const changed = relevant.slice(0, 10).map((f) => `  ${f.working_dir}${f.index} ${f.path}`).join('\n');
    if (!allowDirty) {
      throw new CliError(`the git work tree has uncommitted changes in this design:\n${changed}\ncommit them first, or publish with --allow-dirty`, EXIT.user);
    }
    return undefined;
  }
  return (await git.revparse(['HEAD']).catch(() => undefined))?.trim();
}

export function publishCommand(program: Command): void {
  program
    .command('publish [dir]')
    .description('pack, validate and publish a design version')
    .option('--dry-run', 'validate and pack only; show what would be published')
    .option('--allow-dirty', 'publish even if the git work tree has uncommitted changes')
    .option('--json', 'machine-readable result')
    .action(async (dir: string | undefined, opts: { dryRun?: boolean; allowDirty?: boolean; json?: boolean }, cmd: Command) => {
      const design = await loadLocalDesign(dir ?? '.');
      const manifest = requireValid(design);
      const commit = await sourceCommit(design, Boolean(opts.allowDirty));
      const gz = await writeArchive(design.files);
      const checksum = packageChecksum(design.files);
      if (!opts.json) printIssues(design.result.issues);
      if (opts.dryRun) {
        const summary = { dryRun: true, package: manifest.name, version: manifest.version, files: design.files.map((f) => ({ path: f.path, size: f.data.byteLength })), compressedBytes: gz.length, checksum, sourceCommit: commit ?? null };
        if (opts.json) return printJson(summary);
        process.stdout.write(`dry run: would publish ${manifest.name}@${manifest.version}\n` +
          design.files.map((f) => `  ${f.path} (${humanBytes(f.data.byteLength)})`).join('\n') + '\n' +
          `${design.files.length} files, ${humanBytes(gz.length)} compressed\nchecksum: ${checksum}\n` +
          (commit ? `source commit: ${commit}\n` : ''));
        return;
      }
      const client = clientFor(cmd);
      client.requireToken();
      const headers: Record<string, string> = {};
      if (commit) headers['X-Ohw-Source-Commit'] = commit;
      const [owner, name] = manifest.name.split('/');
      const res = await client.upload<{ package: string; version: string; checksum: string; tag: string; commit: string }>(
        'PUT', `/designs/${owner}/${name}/versions/${manifest.version}`, gz, headers, progress(`uploading ${manifest.name}@${manifest.version}`));
      if (res.checksum !== checksum) {
        throw new CliError(`the registry recorded checksum ${res.checksum} but the local package is ${checksum}`, EXIT.network);
      }
      if (opts.json) return printJson(res);
      process.stdout.write(`published ${res.package}@${res.version}\nchecksum: ${res.checksum}\ntag:      ${res.tag}\n`);
    });
}
