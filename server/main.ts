/**
 * Composition root. `ohw-server [start]` runs the registry; `rebuild` regenerates the derived
 * index, stored rows and search documents from the design repositories alone; `db:migrate`,
 * `db:status`, `backup <dir>` and `restore <dir>` are the operator's database commands.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { buildDeps } from './compose.ts';
import { createApp } from './http/app.ts';
import { ensureAdmin } from './store/accounts/ensure-admin.ts';
import { acquireDataDirLock } from './store/data-dir-lock.ts';
import { loadSearchIndex, rebuildDerived, syncDerived } from './services/derived-views.ts';
import { seedDesigns } from './services/seed.ts';
import { sweepTemporaries } from './store/git/sweep.ts';
import { checkRepositoriesAtStart } from './store/git/integrity.ts';
import type { HeadRepair } from './store/git/index-repair.ts';
import { backupDataDir } from './ops/backup.ts';
import { restoreDataDir } from './ops/restore.ts';
import { dbMigrate, dbStatus } from './ops/database-commands.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => console.log(`[ohw] ${line}`);

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'start';
  const arg = process.argv[3];
  const USAGE = 'usage: ohw-server [start | rebuild | db:migrate | db:status | backup <dir> | restore <dir>]';
  if (!['start', 'rebuild', 'rebuild-derived', 'db:migrate', 'db:status', 'backup', 'restore'].includes(command)
    || ((command === 'backup' || command === 'restore') && !arg)) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  if (command === 'db:status') {
    process.exitCode = await dbStatus(config.dataDir, log);
    return;
  }
  if (command === 'backup') {
    // Safe while the server runs: no lock taken (see ops/backup.ts).
    const m = await backupDataDir(config.dataDir, arg!, log);
    log(`backup of ${config.dataDir} written to ${arg} (${m.repositories.length} repositories)`);
    return;
  }
  if (command === 'restore') {
    await restoreDataDir(arg!, config.dataDir, log);
    return;
  }
  if (command === 'db:migrate') {
    const lock = acquireDataDirLock(config.dataDir);
    try {
      await dbMigrate(config.dataDir, log);
    } finally {
      lock.release();
    }
    return;
  }
  // One writer process per data dir: a second server (or a rebuild under a running one) is refused.
  const lock = acquireDataDirLock(config.dataDir);
  const deps = await buildDeps(config, log);

  if (command === 'rebuild' || command === 'rebuild-derived') {
    const started = Date.now();
    const { designs, versions } = await rebuildDerived(deps);
    log(`rebuilt the index, stored rows and search documents of ${designs} designs (${versions} versions) in ${Date.now() - started} ms`);
    await deps.search.close();
    await deps.db.close();
    lock.release();
    return;
  }

  log(`data dir: ${config.dataDir}`);
  await ensureAdmin(deps.accounts, { dataDir: config.dataDir, adminToken: config.adminToken, log });
  const headRepair = (deps.index as { repaired?: HeadRepair }).repaired;
  if (headRepair) log(`index: ${headRepair.problem}; restored to ${headRepair.restored} (${headRepair.kept} commits of history kept); derived files are replayed from the design repositories`);
  // Before serving: the repositories whose writes a crash may have interrupted (pending designs).
  // Everything else is swept in the background after listen, older files only.
  const startedAt = Date.now();
  const reportSwept = (swept: string[]) => {
    if (swept.length) log(`removed ${swept.length} temporary git file(s) left by an interrupted write: ${swept.slice(0, 10).join(', ')}`);
  };
  reportSwept(await sweepTemporaries(config.dataDir, { only: await deps.derived.pending() }));
  const swept = await deps.archives.sweep();
  if (swept) log(`removed ${swept} temporary archive file(s) left by an interrupted write`);
  // The embedded engine's saved index first, so the designs replayed below update it in place.
  const restored = await deps.search.restore?.();
  const sync = await syncDerived(deps);
  if (sync.full) log(`derived state rebuilt from git for ${sync.replayed} designs`);
  else if (sync.replayed) log(`derived state repaired for ${sync.replayed} design(s) changed since the last run`);
  const loaded = sync.full ? undefined : await loadSearchIndex(deps, restored);
  if (loaded) log(`search engine: ${deps.search.engine} (${loaded.documents} designs; ${restored ? `saved index loaded, ${loaded.reindexed} re-indexed` : 'indexed'})`);
  else log(`search engine: ${deps.search.engine} (indexed while rebuilding)`);
  if (config.seed) {
    const { published } = await seedDesigns(deps, path.join(root, 'designs'));
    if (published.length) log(`published ${published.length} example designs: ${published.join(', ')}`);
  }
  const app = createApp(deps, { trustProxy: config.trustProxy });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    log(`registry listening on ${url}  (try: curl ${url}/api/v1/health)`);
    // In the background: a damaged repository is named in the log and answers INTEGRITY.
    void checkRepositoriesAtStart(config.dataDir, deps.designs, log);
    void sweepTemporaries(config.dataDir, { olderThan: startedAt }).then(reportSwept, (e: Error) => log(`background sweep failed: ${e.message}`));
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(async () => {
      await deps.search.close();
      await deps.db.close();
      lock.release();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open: end them.
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`[ohw] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  if ((e as { issues?: unknown }).issues) console.error(JSON.stringify((e as { issues: unknown }).issues, null, 2));
  process.exit(1);
});
