/**
 * `npm run backup -- <dir>`: a consistent snapshot of a data dir, safe while the server runs.
 *
 * 1. The database through SQLite's online backup API: one consistent copy, whatever is being
 *    written meanwhile.
 * 2. Then the git repositories, each copied refs first and objects after. Objects are only ever
 *    added, so every ref copied points at objects that exist when the objects are copied; a
 *    repack that moved objects mid-copy is caught by `git fsck --connectivity-only` on the copy,
 *    and that repository is copied again.
 * Git is therefore never older than the database: on restore, the start-up replays whatever the
 * index moved for since the database's watermark (derived-views.ts `syncDerived`).
 * Archives and the search snapshot are derived and are written again on demand; they are left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { databasePath, openDatabase } from '../store/sql/database.ts';
import { migrationStatus } from '../store/sql/migrate.ts';
import { runGit } from '../store/git/real-git.ts';

export const BACKUP_MANIFEST = 'ohw-backup.json';
const COPY_ATTEMPTS = 3;

export interface BackupManifest {
  format: 1;
  createdAt: string;
  schema: string[];
  repositories: string[];
  adminToken: boolean;
}

/** Every bare repository under the data dir, relative paths (`index.git`, `designs/o/n.git`). */
export function listRepositories(dataDir: string): string[] {
  const out: string[] = [];
  if (fs.existsSync(path.join(dataDir, 'index.git'))) out.push('index.git');
  const designs = path.join(dataDir, 'designs');
  if (!fs.existsSync(designs)) return out;
  for (const owner of fs.readdirSync(designs, { withFileTypes: true })) {
    if (!owner.isDirectory()) continue;
    for (const repo of fs.readdirSync(path.join(designs, owner.name), { withFileTypes: true })) {
      if (repo.isDirectory() && repo.name.endsWith('.git')) out.push(path.join('designs', owner.name, repo.name));
    }
  }
  return out.sort();
}

function copyRepository(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  // Refs first, objects last (see above); temporary files of writes in flight are not copied.
  const order = (name: string) => (name === 'objects' ? 1 : 0);
  const entries = fs.readdirSync(from, { withFileTypes: true }).sort((a, b) => order(a.name) - order(b.name));
  for (const e of entries) {
    fs.cpSync(path.join(from, e.name), path.join(to, e.name), {
      recursive: true,
      filter: (src) => !/(\.lock|\/tmp_[^/]*|\/\.tmp-[^/]*)$/.test(src),
    });
  }
}

export async function backupDataDir(dataDir: string, dest: string, log: (l: string) => void = () => {}): Promise<BackupManifest> {
  const src = path.resolve(dataDir);
  const out = path.resolve(dest);
  if (!fs.existsSync(databasePath(src))) throw new Error(`${src} holds no registry database (ohw.db): nothing to back up`);
  if (fs.existsSync(out) && fs.readdirSync(out).length) throw new Error(`the backup folder ${out} is not empty; give a new folder`);
  fs.mkdirSync(out, { recursive: true, mode: 0o700 });

  const db = openDatabase(databasePath(src), { readonly: true });
  let schema: string[];
  try {
    await db.sqlite.backup(path.join(out, 'ohw.db'));
    schema = (await migrationStatus(db)).applied.map((m) => m.id);
  } finally {
    await db.close();
  }
  fs.chmodSync(path.join(out, 'ohw.db'), 0o600);
  log(`database copied (schema ${schema.at(-1) ?? 'empty'})`);

  const repositories = listRepositories(src);
  for (const rel of repositories) {
    const to = path.join(out, rel);
    for (let attempt = 1; ; attempt++) {
      copyRepository(path.join(src, rel), to);
      try {
        await runGit(to, ['fsck', '--connectivity-only', '--no-dangling']);
        break;
      } catch (e) {
        if (attempt >= COPY_ATTEMPTS) throw new Error(`could not copy ${rel} consistently: ${(e as Error).message.trim()}`);
      }
    }
  }
  log(`${repositories.length} git repositories copied and checked`);

  const adminToken = fs.existsSync(path.join(src, 'admin-token'));
  if (adminToken) fs.copyFileSync(path.join(src, 'admin-token'), path.join(out, 'admin-token'));
  const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), schema, repositories, adminToken };
  fs.writeFileSync(path.join(out, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
