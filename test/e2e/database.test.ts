/**
 * The operational database as an operator meets it: the real server process on a data dir that
 * the JSON-file code wrote, a second server, a damaged database, backup and restore.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/registry.ts';
import { startServer, type RunningServer } from '../helpers/processes.ts';

const run = promisify(execFile);
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/datadir-json-accounts.tar.gz');
const SECRETS = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/datadir-json-accounts.secrets.json'), 'utf8')) as Record<string, { token: string; id: string; scopes?: string[] }>;
const ENV_ADMIN = 'operator-admin-token-0123456789';

const temps: string[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** The data dir written by the code before the database (accounts as JSON files), unpacked fresh. */
async function legacyDataDir(): Promise<string> {
  const parent = tempDir('ohw-legacy-');
  await run('tar', ['-xzf', FIXTURE, '-C', parent]);
  return path.join(parent, 'data');
}

async function serve(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const s = await startServer({ OHW_DATA: dataDir, OHW_SEED: '0', ...env });
  servers.push(s);
  return s;
}

/** `npm run <script>` as an operator types it, with OHW_DATA set. */
function npmRun(args: string[], dataDir: string) {
  return run('npm', ['run', '--silent', ...args], { cwd: REPO_ROOT, env: { ...process.env, OHW_DATA: dataDir } })
    .then((r) => ({ code: 0, out: r.stdout + r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
}

const get = (url: string, token?: string) => fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('a data dir written by the JSON-file code', () => {
  it('starts with every account, token and role carried into the database, and the old files kept as a backup', { timeout: 120_000 }, async () => {
    const dataDir = await legacyDataDir();
    const server = await serve(dataDir, { OHW_ADMIN_TOKEN: ENV_ADMIN });
    expect(server.logs.join('\n')).toMatch(/imported 4 accounts and 5 tokens from JSON files/);

    for (const name of ['alice', 'bob', 'carol']) {
      const me = await (await get(`${server.url}/api/v1/me`, SECRETS[name]!.token)).json() as { account: string; scopes: string[]; roles: string[] };
      expect(me.account).toBe(name);
      expect(me.scopes).toEqual(SECRETS[name]!.scopes);
    }
    expect(((await (await get(`${server.url}/api/v1/me`, SECRETS.alice!.token)).json()) as { roles: string[] }).roles).toEqual(['reviewer']);
    expect(((await (await get(`${server.url}/api/v1/me`, SECRETS.carol!.token)).json()) as { roles: string[] }).roles).toEqual(['admin']);
    // A revoked token stays revoked; the operator's admin token still works.
    expect((await get(`${server.url}/api/v1/me`, SECRETS.bobRevoked!.token)).status).toBe(401);
    expect((await get(`${server.url}/api/v1/me`, ENV_ADMIN)).status).toBe(200);
    // Passwords carried over as their hashes: logging in still works.
    const login = await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bob', password: 'bob correct horse battery', scopes: ['publish'] }),
    });
    expect(login.status).toBe(201);
    // The published design is served from the stored state rebuilt at this first start.
    const pkg = await (await get(`${server.url}/api/v1/designs/bob/test-bracket`)).json() as { latest: string; owners: string[] };
    expect(pkg).toMatchObject({ latest: '1.0.0', owners: ['bob'] });

    const entries = fs.readdirSync(dataDir);
    expect(entries).not.toContain('accounts');
    const backup = entries.find((e) => e.startsWith('accounts.imported-'));
    expect(backup).toBeDefined();
    expect(fs.readdirSync(path.join(dataDir, backup!))).toEqual(expect.arrayContaining(['alice.json', 'bob.json', 'tokens']));
    await server.stop();

    // The second start imports nothing and reads the database only.
    const again = await serve(dataDir, { OHW_ADMIN_TOKEN: ENV_ADMIN });
    expect(again.logs.join('\n')).not.toMatch(/imported/);
    expect((await get(`${again.url}/api/v1/me`, SECRETS.alice!.token)).status).toBe(200);
    await again.stop();
  });
});

describe('one server per data dir', () => {
  it('refuses a second server on the same data dir, naming the one that holds it', { timeout: 120_000 }, async () => {
    const dataDir = tempDir('ohw-lock-');
    const first = await serve(dataDir);
    const second = await serve(dataDir).then(() => 'started', (e: Error) => e.message);
    expect(second).toMatch(/another registry process \(pid \d+\) is using the data dir/);
    expect((await get(`${first.url}/api/v1/health`)).status).toBe(200);
    await first.stop();
    // A lock left by a killed server does not block the next start.
    const third = await serve(dataDir);
    third.child.kill('SIGKILL');
    await new Promise((r) => third.child.once('exit', r));
    const fourth = await serve(dataDir);
    expect((await get(`${fourth.url}/api/v1/health`)).status).toBe(200);
    await fourth.stop();
  });
});

describe('a damaged database', () => {
  it('refuses to start, naming the file, SQLite\'s message and npm run restore', { timeout: 120_000 }, async () => {
    const dataDir = tempDir('ohw-torn-');
    const s = await serve(dataDir);
    await s.stop();
    const file = path.join(dataDir, 'ohw.db');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2) + 100);
    const failed = await serve(dataDir).then(() => 'started', (e: Error) => e.message);
    expect(failed).toContain(file);
    expect(failed).toMatch(/malformed|not a database|quick_check/i);
    expect(failed).toContain('npm run restore');
  });
});

describe('backup and restore', () => {
  it('backs up a running registry and restores it into a data dir that serves the same accounts and designs', { timeout: 180_000 }, async () => {
    const dataDir = await legacyDataDir();
    const server = await serve(dataDir, { OHW_ADMIN_TOKEN: ENV_ADMIN });
    const backupDir = path.join(tempDir('ohw-backup-'), 'b1');
    const b = await npmRun(['backup', '--', backupDir], dataDir);
    expect(b.out).toMatch(/backup of .* written to/);
    expect(b.code).toBe(0);
    expect(fs.readdirSync(backupDir)).toEqual(expect.arrayContaining(['ohw.db', 'index.git', 'designs', 'ohw-backup.json']));
    // Restore is refused while the server holds the data dir.
    const refused = await npmRun(['restore', '--', backupDir], dataDir);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/another registry process/);
    await server.stop();

    // A write after the backup that the restore takes back.
    fs.writeFileSync(path.join(dataDir, 'marker-after-backup'), 'x');
    const r = await npmRun(['restore', '--', backupDir], dataDir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/previous data dir is kept as/);
    expect(fs.existsSync(path.join(dataDir, 'marker-after-backup'))).toBe(false);

    const restored = await serve(dataDir, { OHW_ADMIN_TOKEN: ENV_ADMIN });
    expect((await get(`${restored.url}/api/v1/me`, SECRETS.alice!.token)).status).toBe(200);
    expect((await (await get(`${restored.url}/api/v1/designs/bob/test-bracket`)).json() as { latest: string }).latest).toBe('1.0.0');
    await restored.stop();
  });

  it('db:status lists the applied migrations', { timeout: 120_000 }, async () => {
    const dataDir = tempDir('ohw-status-');
    const s = await serve(dataDir);
    await s.stop();
    const st = await npmRun(['db:status'], dataDir);
    expect(st.code).toBe(0);
    expect(st.out).toMatch(/applied\s+001-accounts/);
    expect(st.out).toMatch(/applied\s+002-derived/);
    const m = await npmRun(['db:migrate'], dataDir);
    expect(m.out).toMatch(/up to date/);
  });
});
