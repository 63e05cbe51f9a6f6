/**
 * `npm run restore -- <backup-dir>`: bring the data dir (OHW_DATA) back from a backup.
 *
 * Refused while a server holds the data dir. The backup is checked first (its manifest, the
 * database's integrity, every repository's connectivity), assembled in a folder beside the data
 * dir and renamed into place, so an interrupted restore never leaves a mixed data dir. A data
 * dir that is not empty is kept, renamed `<dir>.before-restore-<time>`, never deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { acquireDataDirLock } from '../store/data-dir-lock.ts';
import { openDatabase } from '../store/sql/database.ts';
import { runGit } from '../store/git/real-git.ts';
import { BACKUP_MANIFEST, type BackupManifest } from './backup.ts';

export async function restoreDataDir(backupDir: string, dataDir: string, log: (l: string) => void = () => {}): Promise<{ previous?: string }> {
  const from = path.resolve(backupDir);
  const to = path.resolve(dataDir);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(from, BACKUP_MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    throw new Error(`${from} is not a backup made by \`npm run backup\` (no readable ${BACKUP_MANIFEST})`);
  }
  const db = openDatabase(path.join(from, 'ohw.db'), { readonly: true });
  try {
    const check = db.sqlite.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the backup's database fails its integrity check: ${String(check)}`);
  } finally {
    await db.close();
  }
  for (const rel of manifest.repositories) {
    await runGit(path.join(from, rel), ['fsck', '--connectivity-only', '--no-dangling']).catch((e: Error) => {
      throw new Error(`the backup's repository ${rel} is damaged: ${e.message.trim()}`);
    });
  }

  const lock = acquireDataDirLock(to);
  try {
    const staging = `${to}.restoring-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(from, staging, { recursive: true, filter: (src) => path.basename(src) !== BACKUP_MANIFEST });
    let previous: string | undefined;
    const existing = fs.readdirSync(to).filter((n) => n !== 'server.lock');
    lock.release();
    if (existing.length) {
      previous = `${to}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(to, previous);
      log(`the previous data dir is kept as ${previous}`);
    } else {
      fs.rmSync(to, { recursive: true, force: true });
    }
    fs.renameSync(staging, to);
    log(`restored ${manifest.repositories.length} repositories and the database (backup of ${manifest.createdAt}) into ${to}`);
    return previous ? { previous } : {};
  } finally {
    lock.release();
  }
}
