import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { PackageFile, PackageState, Person, PublishInput, VersionMeta } from '../../../../server/store/ports.ts';

export const alice: Person = { name: 'alice', email: 'alice@example.org' };
export const bob: Person = { name: 'bob', email: 'bob@example.org' };

export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ohw-git-store-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function initialState(owner = 'alice', createdAt = '2024-05-01T10:00:00.000Z'): PackageState {
  return { owners: [owner], yanked: {}, createdAt };
}

const enc = new TextEncoder();
export const text = (s: string): Uint8Array => enc.encode(s);

/** A small package with nested folders, an executable file and a binary file. */
export function samplePackage(tag = 'a'): PackageFile[] {
  return [
    { path: 'design.yaml', data: text(`manifestVersion: "1"\nname: acme/widget\n# ${tag}\n`) },
    { path: 'README.md', data: text(`# Widget ${tag}\n`) },
    { path: 'cad/enclosure/lid.step', data: text(`ISO-10303-21; ${tag}\n`) },
    { path: 'cad/enclosure/base.step', data: text(`ISO-10303-21; base ${tag}\n`) },
    { path: 'tools/flash.sh', data: text(`#!/bin/sh\necho ${tag}\n`), executable: true },
    { path: 'pcb/board.kicad_pcb', data: new Uint8Array([0, 1, 2, 255, 254, 10, 13, 0]) },
  ];
}

export function meta(checksum = 'sha256:abc', extra: Partial<VersionMeta> = {}): VersionMeta {
  return { checksum, publisher: 'alice', ...extra };
}

export function publishInput(version: string, files = samplePackage(version), over: Partial<PublishInput> = {}): PublishInput {
  return {
    version,
    files,
    meta: meta(`sha256:${version}`),
    author: alice,
    message: `Publish ${version}`,
    date: new Date('2024-05-02T12:34:56.000Z'),
    ...over,
  };
}

/** Normalize for comparison: sorted by path, Buffer → plain bytes, executable flag explicit. */
export function normalize(files: PackageFile[]): Array<{ path: string; data: number[]; executable: boolean }> {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((f) => ({ path: f.path, data: [...f.data], executable: f.executable === true }));
}

export function realGit(args: string[], opts: { cwd?: string; input?: string } = {}): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') && !k.startsWith('GIT_CONFIG')) delete env[k];
  return execFileSync('git', args, { cwd: opts.cwd, input: opts.input, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}
