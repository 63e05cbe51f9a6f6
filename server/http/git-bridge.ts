/**
 * Read-only git smart HTTP: `git clone http://host/git/<owner>/<name>.git` and
 * `git clone http://host/git/index.git`, served by spawning `git upload-pack --stateless-rpc`
 * directly, with what `git http-backend` would add around it done here (headers, the v0
 * `# service=` line, gzip bodies). http-backend itself only makes v2's capability advertisement,
 * once per router (git-cgi.ts).
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
 * `http.getanyfile=false` and no want by bare hash (CHILD_CONFIG for v0; in v2 git does not
 * enforce that, so wants that are not ref tips are refused by the bridge: git-wants.ts), in its
 * own process group (git-child.ts). A damaged design repository answers 500 naming the design; a
 * git child failing before its first byte answers 500 naming the repository (never its path).
 * Responses are written raw (http-backend's headers, git's bytes streamed with back-pressure):
 * no Express etag or JSON here.
 */
import { spawn as nodeSpawn, execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { Router, type Request } from 'express';
import { isOhwError } from '../../schema/errors.ts';
import { parsePackageName } from '../../schema/names.ts';
import type { Deps } from '../services/deps.ts';
import { captureCgi } from './git-cgi.ts';
import { gitBridgeStats, gitHeaders, installExitHook, plain, serve } from './git-child.ts';
import { refTips } from './git-wants.ts';
import { lsRefs, parseLsRefs } from './git-ls-refs.ts';

export { parseCgiHeaders } from './git-cgi.ts';
export { gitBridgeStats, type GitBridgeStats } from './git-child.ts';

export interface GitBridgeOptions {
  /** Git children (advertisements + upload-packs) running at once; more get 503. Default 8. */
  maxConcurrent?: number;
  /** A request whose child runs longer than this is killed. Default 10 minutes. */
  timeoutMs?: number;
  /** Largest (decompressed) upload-pack request body accepted. Default 16 MiB. */
  maxRequestBytes?: number;
  /** Absolute path of `git-http-backend` (v2 capabilities only); default `$(git --exec-path)/git-http-backend`. */
  httpBackend?: string;
  /** Injectable for tests: starts every `git upload-pack` child (command `git`). */
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
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
  const peeled = new Map<string, string | null>();
  let v2Advert: Promise<{ status: number; headers: Record<string, string>; body: Buffer } | undefined> | undefined;

  const router = Router();
  router.use(async (req, res) => {
    const [rawPath = '', rawQuery = ''] = splitUrl(req.url);
    if (/git-receive-pack/i.test(req.originalUrl)) {
      return plain(res, 403, 'pushing is not supported: this registry is read-only over git; publish with `ohw publish`\n');
    }
    const m = PATH_SHAPE.exec(rawPath);
    if (!m) return plain(res, 404, 'repository not found\n');
    const endpoint = m[4] as 'info/refs' | 'git-upload-pack';

    let target: Target | undefined;
    try {
      target = await resolveTarget(deps, m);
    } catch (e) {
      // A damaged repository is named and refused; the others keep serving.
      if (isOhwError(e) && e.code === 'INTEGRITY') return plain(res, 500, `${e.message}\n`);
      throw e;
    }
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
    if (gitBridgeStats().active >= maxConcurrent) {
      return plain(res, 503, 'too many clones in progress, retry shortly\n', { 'Retry-After': '5' });
    }

    const gzip = endpoint === 'git-upload-pack' && (encoding === 'gzip' || encoding === 'x-gzip');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LC_ALL: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      ...configEnv(CHILD_CONFIG),
    };
    if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
    const v2 = typeof protocol === 'string' && /(^|:)version=2(:|$)/.test(protocol);
    const child = { env, spawn, timeoutMs, maxRequestBytes, label: target.label, log: deps.log };

    if (endpoint === 'info/refs') {
      // Protocol v2's info/refs is only the server's capabilities — the same bytes for every repo
      // (same git, same CHILD_CONFIG) — so http-backend makes it once and it is answered from
      // memory: a clone then costs one git child (the fetch) instead of three.
      if (v2) {
        v2Advert ??= captureCgi(opts.httpBackend ?? httpBackendPath(), {
          ...env,
          GIT_PROJECT_ROOT: dirname(target.gitdir),
          PATH_INFO: `/${basename(target.gitdir)}/info/refs`,
          GIT_HTTP_EXPORT_ALL: '1',
          REQUEST_METHOD: 'GET',
          QUERY_STRING: 'service=git-upload-pack',
        }).then((r) => (r.status === 200 && r.body.subarray(4, 14).toString('latin1') === 'version 2\n' ? r : undefined), () => undefined);
        const advert = await v2Advert;
        if (advert) {
          res.writeHead(200, { ...gitHeaders(ADVERTISEMENT), 'Content-Length': String(advert.body.length) });
          return void res.end(advert.body);
        }
        v2Advert = undefined;
      }
      // What http-backend does for this GET, without it: v0 prefixes git's advertisement with
      // the service line and a flush; v2 (when the capture above failed) is git's bytes alone.
      return serve(req, res, {
        ...child,
        args: ['upload-pack', '--stateless-rpc', '--advertise-refs', target.gitdir],
        contentType: ADVERTISEMENT,
        prefix: v2 ? undefined : SERVICE_LINE,
      });
    }

    // A small v2 request is read first: `ls-refs` is answered from the refs in process
    // (git-ls-refs.ts), anything else goes on to git with the bytes already read.
    const length = req.headers['content-length'];
    let body: Buffer | undefined;
    if (!gzip && v2 && length !== undefined && /^\d{1,5}$/.test(length) && Number(length) <= 65_536) {
      body = await readBody(req, Number(length));
      if (!body) return plain(res, 400, 'the request body is incomplete\n');
      const lsRequest = parseLsRefs(body);
      const answer = lsRequest ? await lsRefs(target.gitdir, lsRequest, peeled) : undefined;
      if (answer) {
        res.writeHead(200, { ...gitHeaders(RESULT), 'Content-Length': String(answer.length) });
        return void res.end(answer);
      }
    }

    // The fetch: `git upload-pack` itself, no http-backend in between (one exec fewer per clone).
    // The ref tips are read while it starts; the request reaches it once they are known.
    serve(req, res, {
      ...child,
      args: ['upload-pack', '--stateless-rpc', target.gitdir],
      contentType: RESULT,
      input: { gzip, tips: refTips(target.gitdir, peeled), body },
    });
  });
  return router;
}

const ADVERTISEMENT = 'application/x-git-upload-pack-advertisement';
const RESULT = 'application/x-git-upload-pack-result';
/** What http-backend writes before a v0 advertisement: `# service=git-upload-pack` and a flush. */
const SERVICE_LINE = Buffer.from('001e# service=git-upload-pack\n0000', 'latin1');

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

/** Exactly `length` bytes of the request body, or undefined when the client stops short. */
function readBody(req: Request, length: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    req.on('data', (c: Buffer) => {
      got += c.length;
      if (got <= length) chunks.push(c);
    });
    req.once('end', () => resolve(got === length ? Buffer.concat(chunks) : undefined));
    req.once('error', () => resolve(undefined));
    req.once('close', () => { if (!req.readableEnded) resolve(undefined); });
  });
}

/**
 * Config of every child. A client may only want what a ref reaches: objects by bare hash (an
 * unreachable leftover, a tip that is not advertised) are refused, in protocol v0 and v2 alike.
 */
const CHILD_CONFIG: Array<[string, string]> = [
  ['http.getanyfile', 'false'],
  ['uploadpack.allowAnySHA1InWant', 'false'],
  ['uploadpack.allowReachableSHA1InWant', 'false'],
  ['uploadpack.allowTipSHA1InWant', 'false'],
  ['uploadpack.allowFilter', 'false'],
];

function configEnv(pairs: Array<[string, string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(pairs.length) };
  for (const [i, [k, v]] of pairs.entries()) {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  }
  return env;
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

