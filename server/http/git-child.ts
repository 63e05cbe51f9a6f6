/**
 * Running one `git upload-pack --stateless-rpc` child for a request of the git bridge
 * (git-bridge.ts) — directly, without `git http-backend` in the middle: the child in its own
 * process group, killed (SIGKILL: everything it does is read-only) when the client goes away
 * before the response finished or after the timeout; the request body piped in (inflated when
 * gzip, with a size cap, wants checked by WantFilter); stdout streamed out raw with back-pressure
 * under the headers http-backend would have sent. Counters of all children of this process for
 * tests and health.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { WantFilter } from './git-wants.ts';

export interface GitBridgeStats {
  /** Children spawned since the process started (all bridges). */
  spawned: number;
  /** Children running now. */
  active: number;
  /** Process-group ids of the most recent children (a child's pid is its group id). */
  recentGroups: number[];
}

const stats: GitBridgeStats = { spawned: 0, active: 0, recentGroups: [] };
const live = new Set<ChildProcess>();

/** Counters across every bridge in this process (tests, health). */
export function gitBridgeStats(): GitBridgeStats {
  return { spawned: stats.spawned, active: stats.active, recentGroups: [...stats.recentGroups] };
}

let exitHookInstalled = false;
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A detached child would outlive us; take its whole group down with the server.
  process.once('exit', () => {
    for (const child of live) killGroup(child);
  });
}

/**
 * The headers `git http-backend` sends with an upload-pack answer (its hdr_nocache() and the
 * content type), so a client sees the same response whether or not http-backend ran, plus nosniff.
 */
export function gitHeaders(contentType: string): Record<string, string> {
  return {
    Expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
    Pragma: 'no-cache',
    'Cache-Control': 'no-cache, max-age=0, must-revalidate',
    'Content-Type': contentType,
    'X-Content-Type-Options': 'nosniff',
  };
}

export interface ServeOptions {
  /** `git` arguments, e.g. `['upload-pack', '--stateless-rpc', gitdir]`. */
  args: string[];
  env: Record<string, string>;
  spawn: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
  timeoutMs: number;
  maxRequestBytes: number;
  /** The public name of the repository (`alice/lamp`, `index.git`): logs and error answers. */
  label: string;
  log: (line: string) => void;
  contentType: string;
  /** Bytes answered before git's own (the v0 `# service=` line and its flush). */
  prefix?: Buffer;
  /** A POST: the request body goes to the child's stdin. Without it stdin is closed. */
  input?: {
    gzip: boolean;
    /**
     * The objects a request may want (ref tips); any other `want` is refused before git sees it.
     * A promise: they are read while git starts, and the body waits for them.
     */
    tips?: Promise<Set<string>>;
    /** The request body when it was already read (then `req` is not read again). */
    body?: Buffer;
  };
}

export function serve(req: Request, res: Response, o: ServeOptions): void {
  const child = o.spawn('git', o.args, { env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) {
    // spawn failed synchronously (ENOENT, EAGAIN…): the 'error' event follows.
    child.once('error', (e) => {
      o.log(`git bridge: cannot start git ${o.args[0]} for ${o.label}: ${e.message}`);
      plain(res, 500, 'git is unavailable\n');
    });
    return;
  }
  stats.spawned++;
  stats.active++;
  stats.recentGroups.push(child.pid);
  if (stats.recentGroups.length > 100) stats.recentGroups.shift();
  live.add(child);

  let exited = false;
  let finished = false;
  let killed = false;
  let stderr = '';
  const timer = setTimeout(() => {
    o.log(`git bridge: ${o.label} took longer than ${o.timeoutMs} ms, killed`);
    abort(504, 'timed out\n');
  }, o.timeoutMs);
  timer.unref();

  const done = () => {
    if (exited) return;
    exited = true;
    clearTimeout(timer);
    stats.active--;
    live.delete(child);
  };
  child.once('exit', done);
  child.once('error', (e) => {
    o.log(`git bridge: git ${o.args[0]} for ${o.label} failed: ${e.message}`);
    abort(500, 'git failed\n');
  });
  child.stderr!.on('data', (b: Buffer) => {
    if (stderr.length < 4096) stderr += b.toString('utf8');
  });

  /** Kill the whole group; answer with `status` if nothing was sent yet, else cut the connection. */
  function abort(status: number, message: string): void {
    killed = true;
    killGroup(child);
    if (!res.headersSent) plain(res, status, message);
    else res.destroy();
  }

  /** Answer in the protocol itself (an ERR packet, shown by git as "remote error: …"), child killed. */
  function refuse(message: string): void {
    killed = true;
    killGroup(child);
    o.log(`git bridge: ${o.label}: ${message}`);
    if (res.headersSent) return void res.destroy();
    const line = `${message}\n`;
    const body = `${(Buffer.byteLength(line) + 4).toString(16).padStart(4, '0')}${line}`;
    res.writeHead(200, { ...gitHeaders(o.contentType), 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  res.once('finish', () => {
    finished = true;
  });
  res.once('close', () => {
    // Client went away (or the connection broke) before the response was complete.
    if (!finished && !exited) {
      killed = true;
      killGroup(child);
    }
  });

  // Request body → child stdin (inflated when gzip), with a size cap.
  const stdin = child.stdin!;
  stdin.on('error', () => undefined); // EPIPE when the child exits early; its exit is what counts
  if (o.input) void pipeInput(o.input);
  else {
    stdin.end();
    req.resume();
  }

  async function pipeInput(input: NonNullable<ServeOptions['input']>): Promise<void> {
    const tips = await input.tips;
    if (killed) return;
    let source: NodeJS.ReadableStream = input.body ? Readable.from([input.body]) : req;
    if (input.gzip && !input.body) {
      const gunzip = createGunzip();
      gunzip.on('error', () => abort(400, 'the request body is not valid gzip\n'));
      req.pipe(gunzip);
      source = gunzip;
    }
    let received = 0;
    source.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > o.maxRequestBytes) abort(413, 'request too large\n');
    });
    if (tips) {
      const filter = new WantFilter(tips, (oid) => refuse(`ERR upload-pack: not our ref ${oid}`));
      source.pipe(filter).pipe(stdin);
    } else source.pipe(stdin);
  }

  // The status line goes out with git's first byte, not before: until the client has seen a
  // status, a failure (git exiting with an error, a timeout, bad gzip) can still be answered
  // with a proper status instead of a cut connection.
  const stdout = child.stdout!;
  const start = (first: Buffer | undefined) => {
    if (res.destroyed) return killGroup(child);
    res.writeHead(200, gitHeaders(o.contentType));
    if (o.prefix) res.write(o.prefix);
    if (first?.length) res.write(first);
  };
  stdout.once('data', (first: Buffer) => {
    if (killed) return;
    start(first);
    if (!res.destroyed) stdout.pipe(res);
  });
  child.once('close', (code, signal) => {
    done();
    const failed = code !== 0 || signal !== null;
    if (failed && !killed) o.log(`git bridge: ${o.label}: git ${o.args[0]} exited ${code ?? signal}${stderr.trim() ? `: ${stderr.trim().slice(0, 500)}` : ''}`);
    if (res.headersSent || killed || res.destroyed) return;
    if (failed) {
      // Nothing was sent yet: a proper error, naming the repository by its public name only.
      return plain(res, 500, `${o.label}: git upload-pack failed\n`);
    }
    // A request git answers with nothing (a v2 flush alone): an empty success, as http-backend.
    start(undefined);
    res.end();
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export function plain(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': String(Buffer.byteLength(message)), ...headers });
  res.end(message);
}
