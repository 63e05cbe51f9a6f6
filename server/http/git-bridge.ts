/**
 * Read-only git smart HTTP: `git clone http://host/git/<owner>/<name>.git` and
 * `git clone http://host/git/index.git`, served by spawning the stock `git http-backend` (CGI).
 *
 * What is served, exactly:
 *   GET  /git/<owner>/<name>.git/info/refs?service=git-upload-pack   ref advertisement
 *   POST /git/<owner>/<name>.git/git-upload-pack                     fetch negotiation + pack
 *   (the same two under /git/index.git/)
 * Protocol v0 and v2 (the `Git-Protocol` header is validated and passed on as GIT_PROTOCOL).
 *
 * What is refused before anything is spawned:
 *   - anything mentioning git-receive-pack (push): 403;
 *   - a path that is not exactly one of the shapes above, written in plain lowercase ASCII: 404.
 *     The request path is matched, never decoded or joined: `..`, `%2e%2e`, `//`, `.git.git`
 *     and friends simply do not match. Names go through the SPEC name rules and must exist;
 *     the repository path comes from the store (`repoPath(pkg)` / `index.repoPath()`);
 *   - the dumb protocol (info/refs without ?service=, objects/…): 403 / 404;
 *   - more than `maxConcurrent` git children at once: 503 with Retry-After.
 *
 * The child runs with a minimal environment (no ambient GIT_*, no system/global config),
 * `http.getanyfile=false` and `uploadpack.allowAnySHA1InWant=false`, in its own process group,
 * which is killed (SIGKILL: everything it does is read-only) when the client goes away before
 * the response finished, or after `timeoutMs`. Responses are written raw (CGI status + headers,
 * body streamed with back-pressure): no Express etag or JSON on this router.
 */
import { spawn as nodeSpawn, execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import { parsePackageName } from '../../schema/names.ts';
import type { Deps } from '../services/deps.ts';

export interface GitBridgeOptions {
  /** Git children (advertisements + upload-packs) running at once; more get 503. Default 8. */
  maxConcurrent?: number;
  /** A request whose child runs longer than this is killed. Default 10 minutes. */
  timeoutMs?: number;
  /** Largest (decompressed) upload-pack request body accepted. Default 16 MiB. */
  maxRequestBytes?: number;
  /** Absolute path of `git-http-backend`; default `$(git --exec-path)/git-http-backend`. */
  httpBackend?: string;
  /** Injectable for tests. */
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
}

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
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A detached child would outlive us; take its whole group down with the server.
  process.once('exit', () => {
    for (const child of live) killGroup(child);
  });
}

const NAME = '[a-z0-9]+(?:-[a-z0-9]+)*';
/** The only request paths (relative to the mount point) that can reach git. */
const PATH_SHAPE = new RegExp(`^/(?:(${NAME})/(${NAME})|(index))\\.git/(info/refs|git-upload-pack)$`);
const GIT_PROTOCOL = /^[A-Za-z0-9][A-Za-z0-9=:._-]{0,255}$/;

let defaultBackend: string | undefined;
function httpBackendPath(): string {
  defaultBackend ??= join(
    execFileSync('git', ['--exec-path'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }).trim(),
    'git-http-backend',
  );
  return defaultBackend;
}

type Target = { gitdir: string; label: string };

export function gitRouter(deps: Pick<Deps, 'designs' | 'index' | 'log'>, opts: GitBridgeOptions = {}): Router {
  const maxConcurrent = opts.maxConcurrent ?? 8;
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const maxRequestBytes = opts.maxRequestBytes ?? 16 * 1024 * 1024;
  const spawn = opts.spawn ?? ((cmd, args, o) => nodeSpawn(cmd, args, o));
  installExitHook();

  const router = Router();
  router.use(async (req, res) => {
    const [rawPath = '', rawQuery = ''] = splitUrl(req.url);
    if (/git-receive-pack/i.test(req.originalUrl)) {
      return plain(res, 403, 'pushing is not supported: this registry is read-only over git; publish with `ohw publish`\n');
    }
    const m = PATH_SHAPE.exec(rawPath);
    if (!m) return plain(res, 404, 'repository not found\n');
    const endpoint = m[4] as 'info/refs' | 'git-upload-pack';

    const target = await resolveTarget(deps, m);
    if (!target) return plain(res, 404, 'repository not found\n');

    let query = '';
    if (endpoint === 'info/refs') {
      if (req.method !== 'GET') return plain(res, 405, 'method not allowed\n', { Allow: 'GET' });
      if (new URLSearchParams(rawQuery).get('service') !== 'git-upload-pack') {
        return plain(res, 403, 'only the smart HTTP protocol is served (git 1.6.6 or later)\n');
      }
      query = 'service=git-upload-pack';
    } else {
      if (req.method !== 'POST') return plain(res, 405, 'method not allowed\n', { Allow: 'POST' });
      if (req.headers['content-type'] !== 'application/x-git-upload-pack-request') {
        return plain(res, 415, 'expected Content-Type: application/x-git-upload-pack-request\n');
      }
    }
    const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
    if (endpoint === 'git-upload-pack' && encoding !== '' && encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'identity') {
      return plain(res, 415, `unsupported Content-Encoding "${encoding.slice(0, 40)}"\n`);
    }
    const protocol = req.headers['git-protocol'];
    if (protocol !== undefined && (typeof protocol !== 'string' || !GIT_PROTOCOL.test(protocol))) {
      return plain(res, 400, 'invalid Git-Protocol header\n');
    }
    if (stats.active >= maxConcurrent) {
      return plain(res, 503, 'too many clones in progress, retry shortly\n', { 'Retry-After': '5' });
    }

    const gzip = endpoint === 'git-upload-pack' && (encoding === 'gzip' || encoding === 'x-gzip');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LC_ALL: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_PROJECT_ROOT: dirname(target.gitdir),
      PATH_INFO: `/${basename(target.gitdir)}/${endpoint}`,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method,
      QUERY_STRING: query,
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.getanyfile',
      GIT_CONFIG_VALUE_0: 'false',
      GIT_CONFIG_KEY_1: 'uploadpack.allowAnySHA1InWant',
      GIT_CONFIG_VALUE_1: 'false',
    };
    if (endpoint === 'git-upload-pack') env.CONTENT_TYPE = 'application/x-git-upload-pack-request';
    const length = req.headers['content-length'];
    // A gzip body is inflated here, so its length is unknown: http-backend then reads to EOF.
    if (endpoint === 'git-upload-pack' && !gzip && length !== undefined && /^\d{1,12}$/.test(length)) env.CONTENT_LENGTH = length;
    if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;

    serve(req, res, { backend: opts.httpBackend ?? httpBackendPath(), env, gzip, spawn, timeoutMs, maxRequestBytes, label: target.label, log: deps.log });
  });
  return router;
}

async function resolveTarget(deps: Pick<Deps, 'designs' | 'index'>, m: RegExpExecArray): Promise<Target | undefined> {
  if (m[3] === 'index') return { gitdir: deps.index.repoPath(), label: 'index.git' };
  let pkg: string;
  try {
    pkg = parsePackageName(`${m[1]}/${m[2]}`).full;
  } catch {
    return undefined;
  }
  if (!(await deps.designs.exists(pkg))) return undefined;
  const gitdir = deps.designs.repoPath(pkg);
  // Belt and braces: the store built it from a validated name; it must look like one.
  if (basename(gitdir) !== `${pkg.split('/')[1]}.git`) return undefined;
  return { gitdir, label: pkg };
}

interface ServeOptions {
  backend: string;
  env: Record<string, string>;
  gzip: boolean;
  spawn: NonNullable<GitBridgeOptions['spawn']>;
  timeoutMs: number;
  maxRequestBytes: number;
  label: string;
  log: (line: string) => void;
}

function serve(req: Request, res: Response, o: ServeOptions): void {
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
    let source: NodeJS.ReadableStream = req;
    if (o.gzip) {
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
    source.pipe(stdin);
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

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

function plain(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(message), ...headers });
  res.end(message);
}
