/**
 * Is a repository whole? Two depths:
 *
 *   quickCheck(gitdir)  what start-up can afford for every repository, in the background: HEAD is
 *                       there, every ref holds an object id, every pack's index is intact (its
 *                       own SHA-1 trailer) and names the pack's trailer, every loose object
 *                       inflates to what its name says. Catches torn writes and truncation.
 *   fullCheck(gitdir)   `git fsck --full --strict --no-dangling`: every object, every link
 *                       (what `npm run fsck` runs).
 *
 * Both return the problems found (empty = whole), as lines naming the file or object, for the
 * operator's log — never for HTTP responses.
 */
import { promises as fsp } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { designsDir, indexRepoPath, isNameSegment } from './paths.ts';
import { runGit } from './real-git.ts';
import { isRepo } from './repo.ts';

/** Every repository of a data dir: the designs (`owner/name`) and the index. */
export async function listRepositories(dataDir: string): Promise<Array<{ label: string; gitdir: string }>> {
  const out: Array<{ label: string; gitdir: string }> = [];
  const root = designsDir(dataDir);
  for (const owner of (await fsp.readdir(root).catch(() => [] as string[])).sort()) {
    if (!isNameSegment(owner)) continue;
    for (const entry of (await fsp.readdir(join(root, owner)).catch(() => [] as string[])).sort()) {
      const name = entry.slice(0, -4);
      if (entry.endsWith('.git') && isNameSegment(name) && (await isRepo(join(root, owner, entry)))) out.push({ label: `${owner}/${name}`, gitdir: join(root, owner, entry) });
    }
  }
  if (await isRepo(indexRepoPath(dataDir))) out.push({ label: 'index.git', gitdir: indexRepoPath(dataDir) });
  return out;
}

export async function quickCheck(gitdir: string): Promise<string[]> {
  const problems: string[] = [];
  const head = await fsp.readFile(join(gitdir, 'HEAD'), 'utf8').catch(() => '');
  if (!/^(ref: refs\/\S+|[0-9a-f]{40})\n?$/.test(head)) problems.push('HEAD is missing or unreadable');
  await checkRefs(join(gitdir, 'refs'), 'refs', problems);
  const packDir = join(gitdir, 'objects', 'pack');
  for (const f of await fsp.readdir(packDir).catch(() => [] as string[])) {
    if (!f.endsWith('.idx')) continue;
    const problem = await checkPack(join(packDir, f), join(packDir, f.replace(/\.idx$/, '.pack')));
    if (problem) problems.push(`objects/pack/${f.replace(/\.idx$/, '')}: ${problem}`);
  }
  for (const dir of await fsp.readdir(join(gitdir, 'objects')).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(dir)) continue;
    for (const f of await fsp.readdir(join(gitdir, 'objects', dir)).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{38}$/.test(f)) continue;
      try {
        const raw = inflateSync(await fsp.readFile(join(gitdir, 'objects', dir, f)));
        if (createHash('sha1').update(raw).digest('hex') !== dir + f) problems.push(`object ${dir}${f} does not match its name`);
      } catch {
        problems.push(`object ${dir}${f} is torn (does not inflate)`);
      }
    }
  }
  return problems;
}

async function checkRefs(dir: string, rel: string, problems: string[]): Promise<void> {
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await checkRefs(p, `${rel}/${e.name}`, problems);
    else if (e.isFile() && !e.name.endsWith('.lock')) {
      const v = await fsp.readFile(p, 'utf8').catch(() => '');
      if (!/^([0-9a-f]{40}|ref: refs\/\S+)\n?$/.test(v)) problems.push(`${rel}/${e.name} does not hold an object id`);
    }
  }
}

async function checkPack(idxFile: string, packFile: string): Promise<string | undefined> {
  const idx = await fsp.readFile(idxFile).catch(() => undefined);
  if (!idx || idx.length < 8 + 1024 + 40) return 'the pack index is truncated';
  if (!createHash('sha1').update(idx.subarray(0, idx.length - 20)).digest().equals(idx.subarray(idx.length - 20))) return 'the pack index is damaged (checksum)';
  const fh = await fsp.open(packFile, 'r').catch(() => undefined);
  if (!fh) return 'the pack file is missing';
  try {
    const { size } = await fh.stat();
    if (size < 32) return 'the pack file is truncated';
    const trailer = Buffer.alloc(20);
    await fh.read(trailer, 0, 20, size - 20);
    if (!trailer.equals(idx.subarray(idx.length - 40, idx.length - 20))) return 'the pack file is truncated or damaged (its trailer does not match its index)';
  } finally {
    await fh.close();
  }
  return undefined;
}

export async function fullCheck(gitdir: string): Promise<string[]> {
  try {
    await runGit(gitdir, ['fsck', '--full', '--strict', '--no-dangling', '--no-progress']);
    return [];
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^(Checking|dangling)/.test(l));
    return lines.length ? lines.slice(0, 50) : ['git fsck failed'];
  }
}

/**
 * The start-up pass: quickCheck of every repository, one after the other; each damaged one is
 * named in the log and, for a design, marked so that it answers INTEGRITY at once.
 */
export async function checkRepositoriesAtStart(dataDir: string, designs: object, log: (line: string) => void): Promise<number> {
  let damaged = 0;
  try {
    for (const { label, gitdir } of await listRepositories(dataDir)) {
      const problems = await quickCheck(gitdir);
      if (!problems.length) continue;
      damaged++;
      log(`integrity: the repository of ${label} is damaged (${gitdir}): ${problems.slice(0, 5).join('; ')} — run npm run fsck`);
      const mark = (designs as { markDamaged?: (pkg: string, what: string) => void }).markDamaged;
      if (label !== 'index.git' && mark) mark.call(designs, label, problems.join('; '));
    }
  } catch (e) {
    log(`integrity: the start-up check stopped: ${(e as Error).message}`);
  }
  return damaged;
}
