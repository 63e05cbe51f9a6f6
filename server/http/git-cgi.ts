/**
 * Running one `git http-backend` (CGI) child for a request of the git bridge (git-bridge.ts): the
 * child in its own process group, killed (SIGKILL: everything it does is read-only) when the
 * client goes away before the response finished or after the timeout; the request body piped in
 * (inflated when gzip, with a size cap); the CGI response parsed and streamed out raw with
 * back-pressure. Counters of all children of this process for tests and health.
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

export interface ServeOptions {
  backend: string;
  env: Record<string, string>;
  gzip: boolean;
  spawn: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
  timeoutMs: number;
  maxRequestBytes: number;
  label: string;
  log: (line: string) => void;
  /** The objects a request may want (ref tips); any other `want` is refused before git sees it. */
  tips?: Set<string>;
  /** The request body when it was already read (then `req` is not read again). */
  body?: Buffer;
}

export function serve(req: Request, res: Response, o: ServeOptions): void {
  const child = o.spawn(o.backend, [], { env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) {
    // spawn failed synchronously (ENOENT, EAGAIN…): the 'error' event follows.
    child.once('error', (e) => {
      o.log(`git bridge: cannot start git http-backend for ${o.label}: ${e.message}`);
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
    o.log(`git bridge: git http-backend for ${o.label} failed: ${e.message}`);
    abort(500, 'git failed\n');
  });
  child.stderr!.on('data', (b: Buffer) => {
    if (stderr.length < 4096) stderr += b.toString('utf8');
  });
  child.once('close', (code, signal) => {
    done();
    if (code !== 0 && !signal && stderr.trim()) o.log(`git bridge: ${o.label}: git exited ${code}: ${stderr.trim().slice(0, 500)}`);
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
    res.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-result', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  res.once('finish', () => {
    finished = true;
  });
  res.once('close', () => {
    // Client went away (or the connection broke) before the response was complete.
    if (!finished && !exited) killGroup(child);
  });

  // Request body → child stdin (inflated when gzip), with a size cap.
  const stdin = child.stdin!;
  stdin.on('error', () => undefined); // EPIPE when the child exits early; its exit is what counts
  if (o.env.REQUEST_METHOD === 'POST') {
    let source: NodeJS.ReadableStream = o.body ? Readable.from([o.body]) : req;
    if (o.gzip && !o.body) {
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
    if (o.tips) {
      const filter = new WantFilter(o.tips, (oid) => refuse(`ERR upload-pack: not our ref ${oid}`));
      source.pipe(filter).pipe(stdin);
    } else source.pipe(stdin);
  } else {
    stdin.end();
    req.resume();
  }

  // CGI response: header lines, a blank line, the body. The status line goes out with the first
  // body byte, not before: http-backend prints its headers before it reads the request, and until
  // the client has seen a status a failure (timeout, bad gzip) can still be answered properly.
  const stdout = child.stdout!;
  let head = Buffer.alloc(0);
  let parsed: { status: number; headers: Record<string, string> } | undefined;
  const start = (first: Buffer | undefined) => {
    if (res.destroyed) return killGroup(child);
    res.writeHead(parsed!.status, { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...parsed!.headers });
    if (first?.length) res.write(first);
    stdout.pipe(res);
  };
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (!end) {
      if (head.length > 64 * 1024) {
        stdout.off('data', onData);
        abort(502, 'bad gateway\n');
      }
      return;
    }
    stdout.off('data', onData);
    stdout.pause();
    parsed = parseCgiHeaders(head.subarray(0, end.headerBytes).toString('latin1'));
    const rest = head.subarray(end.bodyStart);
    if (rest.length) return start(rest);
    stdout.once('data', (first: Buffer) => {
      stdout.pause();
      start(first);
    });
    stdout.resume();
  };
  stdout.on('data', onData);
  stdout.once('end', () => {
    if (res.headersSent) return;
    if (parsed) {
      // Headers and no body (an error status from http-backend, typically).
      res.writeHead(parsed.status, { 'Cache-Control': 'no-cache', ...parsed.headers });
      return void res.end();
    }
    if (!killed) {
      o.log(`git bridge: ${o.label}: git http-backend sent no headers${stderr ? `: ${stderr.trim().slice(0, 300)}` : ''}`);
      plain(res, 502, 'bad gateway\n');
    }
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

function headerEnd(buf: Buffer): { headerBytes: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerBytes: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headerBytes: lf, bodyStart: lf + 2 };
  return undefined;
}

const PASSED_HEADERS = new Set(['content-type', 'cache-control', 'expires', 'pragma', 'content-length']);

/** `Status: 404 Not Found` + the few headers worth passing on. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    if (name === 'status') {
      const code = Number(/^(\d{3})/.exec(value)?.[1]);
      if (code >= 200 && code <= 599) status = code;
    } else if (PASSED_HEADERS.has(name) && /^[\x20-\x7e]*$/.test(value)) {
      headers[name] = value;
    }
  }
  return { status, headers };
}


export function plain(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(message), ...headers });
  res.end(message);
}
