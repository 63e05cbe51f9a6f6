/**
 * Stopping `npm start` stops the server: SIGINT (Ctrl-C) or SIGTERM sent to npm reaches the
 * server process (the start script execs tsx, which relays it), which closes the port, the
 * database and the data-dir lock, and exits 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/registry.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(false); });
  socket.once('error', () => resolve(true));
});

async function startAndStop(signal: NodeJS.Signals): Promise<{ code: number | null; port: number; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-npm-start-'));
  dirs.push(dataDir);
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OHW_DATA: dataDir, OHW_SEED: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on http:\/\/[\d.]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited early (${code}):\n${out}`)));
  });
  expect(fs.existsSync(path.join(dataDir, 'server.lock'))).toBe(true);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return { code: await exited, port, dataDir };
}

describe('npm start', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s to npm stops the server: exit 0, port closed, lock released', async (signal) => {
    const { code, port, dataDir } = await startAndStop(signal);
    expect(code).toBe(0);
    expect(await refused(port)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'server.lock'))).toBe(false);
  }, 180_000);
});
