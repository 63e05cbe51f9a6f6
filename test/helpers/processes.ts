import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { REPO_ROOT } from './registry.ts';

export interface RunningServer { url: string; dataDir: string; child: ChildProcess; logs: string[]; stop(): Promise<void> }

/** Start the real server (`server/main.ts`) on a free loopback port; resolves once it listens. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = env.OHW_DATA ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OHW_DATA: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      for (const line of b.toString().split('\n').filter(Boolean)) {
        logs.push(line);
        const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(line);
        if (m) resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`)));
    setTimeout(() => reject(new Error(`server did not start in 60 s:\n${logs.join('\n')}`)), 60_000);
  });
  return {
    url, dataDir, child, logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface CliResult { code: number; stdout: string; stderr: string }

/** Run the real `ohw` CLI as a child process. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/ohw.mjs'), ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdin.end(opts.input ?? '');
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * One end-to-end seat: a running server, a fresh home (CLI config) and work folder, and the real
 * CLI pointed at them. `useSeat()` starts it before the file's tests and removes it after.
 */
export interface E2ESeat {
  server: RunningServer;
  home: string;
  work: string;
  cli(args: string[], opts?: { cwd?: string; env?: Record<string, string> }): Promise<CliResult>;
  cleanup(): Promise<void>;
}

export async function startSeat(serverEnv: Record<string, string> = {}): Promise<E2ESeat> {
  const server = await startServer(serverEnv);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-home-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-work-'));
  return {
    server, home, work,
    cli: (args, opts = {}) => runCli(args, {
      cwd: opts.cwd ?? work,
      env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), OHW_REGISTRY: server.url, ...opts.env },
    }),
    async cleanup() {
      await server.stop();
      for (const d of [home, work, server.dataDir]) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

export function useSeat(serverEnv: Record<string, string> = {}): E2ESeat {
  const seat = {} as E2ESeat;
  beforeAll(async () => { Object.assign(seat, await startSeat(serverEnv)); }, 120_000);
  afterAll(() => seat.cleanup());
  return seat;
}
