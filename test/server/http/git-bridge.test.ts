/**
 * The git bridge against the real `git` client: `git clone` over HTTP from an in-process server on
 * a loopback port. Every git command here runs asynchronously — the server lives in this process.
 */
import { execFile, execFileSync, spawn as nodeSpawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../../schema/archive.ts';
import { gitBridgeStats, gitRouter, parseCgiHeaders, type GitBridgeOptions } from '../../../server/http/git-bridge.ts';
import type { GitDesignStore } from '../../../server/store/git/design-store.ts';
import { designArchive, designFiles, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
let alice: string;
let server: http.Server;
let base: string;
let work: string;

const listen = async (app: http.RequestListener): Promise<{ server: http.Server; base: string }> => {
  const s = http.createServer(app);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
};

const gitEnv = () => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C',
  GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org',
});

/** Run the real git client (asynchronously: the server is in this process). */
function git(args: string[], cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, env: gitEnv(), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A raw request: the path is sent exactly as given (no client-side normalisation). */
function raw(rawPath: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}, at = base): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(at);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
/** A protocol v0 upload-pack request: want one commit, no haves, done. */
const wantRequest = (oid: string) => Buffer.from(`${pkt(`want ${oid} side-band-64k ofs-delta\n`)}0000${pkt('done\n')}`);

/** Processes still alive (not zombies) in the process groups of the bridge's children. */
function survivors(groups: number[]): string[] {
  const set = new Set(groups);
  return execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && set.has(Number(f[1])) && !f[2]!.startsWith('Z'))
    .map((f) => `${f[0]} ${f[3]}`);
}

/** Our own git children (`ps --ppid <this process>`): http-backend and friends. */
function gitChildren(): string[] {
  let out = '';
  try {
    out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,stat=,comm='], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out.split('\n').map((l) => l.trim()).filter((l) => /git/.test(l) && !/\sZ/.test(l));
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

beforeAll(async () => {
  reg = await makeRegistry();
  alice = await reg.account('alice');
  for (const v of ['1.0.0', '1.1.0']) {
    expect((await publish(reg.app, alice, 'alice/lamp', v, await designArchive('alice/lamp', v))).status).toBe(201);
  }
  ({ server, base } = await listen(reg.app));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-git-'));
}, 60_000);
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(work, { recursive: true, force: true });
  await reg.cleanup();
});

describe('git clone over HTTP (read-only smart HTTP through git http-backend)', () => {
  it('clones a design with the stock git client (protocol v2); the tags are the versions', async () => {
    const dir = path.join(work, 'lamp');
    const r = await git(['clone', `${base}/git/alice/lamp.git`, dir]);
    expect(r.stderr).not.toMatch(/fatal/);
    expect(r.code).toBe(0);
    expect((await git(['tag', '--list'], dir)).stdout.trim().split('\n')).toEqual(['v1.0.0', 'v1.1.0']);
    const tag = await git(['cat-file', '-p', 'v1.1.0'], dir);
    expect(tag.stdout).toContain('ohw version 1.1.0');
    expect(tag.stdout).toContain('"checksum": "sha256:');
    expect((await git(['checkout', '--quiet', 'v1.1.0'], dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'design.yaml'), 'utf8')).toMatch(/^version: 1\.1\.0$/m);
    // The registry's own record of the version names the same commit.
    const record = await reg.deps.designs.version('alice/lamp', '1.1.0');
    expect((await git(['rev-parse', 'v1.1.0^{commit}'], dir)).stdout.trim()).toBe(record!.commit);
  });

  it('clones with protocol v0 too, and fetches a version published later', async () => {
    const dir = path.join(work, 'lamp-v0');
    expect((await git(['-c', 'protocol.version=0', 'clone', '--quiet', `${base}/git/alice/lamp.git`, dir])).code).toBe(0);
    expect((await publish(reg.app, alice, 'alice/lamp', '1.2.0', await designArchive('alice/lamp', '1.2.0'))).status).toBe(201);
    const f = await git(['-c', 'protocol.version=0', 'fetch', '--tags', 'origin'], dir);
    expect(f.code).toBe(0);
    expect((await git(['tag', '--list'], dir)).stdout).toContain('v1.2.0');
  });

  it('serves index.git the same way: anyone can mirror the metadata', async () => {
    const dir = path.join(work, 'index');
    expect((await git(['clone', '--quiet', `${base}/git/index.git`, dir])).code).toBe(0);
    const lines = fs.readFileSync(path.join(dir, 'designs/alice/lamp.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).version)).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    const mirror = path.join(work, 'index-mirror.git');
    expect((await git(['clone', '--mirror', '--quiet', `${base}/git/index.git`, mirror])).code).toBe(0);
  });

  it('answers protocol v2 capability requests from memory (the same bytes for every repository)', async () => {
    const before = gitBridgeStats().spawned;
    for (const repo of ['alice/lamp', 'index']) {
      const r = await raw(`/git/${repo}.git/info/refs?service=git-upload-pack`, { headers: { 'Git-Protocol': 'version=2' } });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/x-git-upload-pack-advertisement');
      expect(r.body.toString('latin1')).toMatch(/^000eversion 2\n[\s\S]*fetch=[\s\S]*0000$/);
    }
    expect(gitBridgeStats().spawned).toBe(before);
    // A v0 advertisement lists the repository's refs, so it still comes from git.
    const v0 = await raw('/git/alice/lamp.git/info/refs?service=git-upload-pack');
    expect(v0.body.toString('latin1')).toContain('refs/tags/v1.0.0');
    expect(gitBridgeStats().spawned).toBe(before + 1);
  });

  it('answers v2 ls-refs in process with exactly the bytes git upload-pack writes, and spawns nothing', async () => {
    const lsRefs = (args: string[]) => Buffer.from(`${pkt('command=ls-refs\n')}${pkt('agent=git/2.39.5\n')}${pkt('object-format=sha1\n')}0001${args.map((a) => pkt(`${a}\n`)).join('')}0000`);
    const requests = [
      ['peel', 'symrefs', 'unborn', 'ref-prefix HEAD', 'ref-prefix refs/heads/', 'ref-prefix refs/tags/'], // git clone
      ['peel', 'symrefs', 'unborn'], // git ls-remote
      ['symrefs', 'ref-prefix refs/tags/v1.1'],
      [],
    ];
    for (const [repo, gitdir] of [['alice/lamp', reg.deps.designs.repoPath('alice/lamp')], ['index', reg.deps.index.repoPath()]] as const) {
      for (const args of requests) {
        const body = lsRefs(args);
        const fromGit = execFileSync('git', ['upload-pack', '--stateless-rpc', gitdir], { input: body, env: { PATH: process.env.PATH, GIT_PROTOCOL: 'version=2', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
        const before = gitBridgeStats().spawned;
        const res = await raw(`/git/${repo}.git/git-upload-pack`, {
          method: 'POST', body,
          headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Git-Protocol': 'version=2', 'Content-Length': String(body.length) },
        });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/x-git-upload-pack-result');
        expect(res.body.toString('latin1'), `${repo} ${args.join(',')}`).toBe(fromGit.toString('latin1'));
        expect(gitBridgeStats().spawned).toBe(before);
      }
    }
    // Something it does not know (here a server option) still goes to git.
    const other = Buffer.from(`${pkt('command=ls-refs\n')}${pkt('server-option=x\n')}0001${pkt('peel\n')}0000`);
    const before = gitBridgeStats().spawned;
    const res = await raw('/git/alice/lamp.git/git-upload-pack', {
      method: 'POST', body: other,
      headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Git-Protocol': 'version=2', 'Content-Length': String(other.length) },
    });
    expect(res.status).toBe(200);
    expect(gitBridgeStats().spawned).toBe(before + 1);
  });

  it('inflates gzip request bodies (git gzips large negotiations)', async () => {
    const record = await reg.deps.designs.version('alice/lamp', '1.0.0');
    const body = zlib.gzipSync(wantRequest(record!.commit));
    const res = await raw('/git/alice/lamp.git/git-upload-pack', {
      method: 'POST', body,
      headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-git-upload-pack-result');
    expect(res.body.includes(Buffer.from('PACK'))).toBe(true);
    expect(res.headers.etag).toBeUndefined();
  });

  it('negotiates a fetch with many local commits (haves) into an existing clone', async () => {
    const dir = path.join(work, 'lamp-haves');
    expect((await git(['clone', '--quiet', `${base}/git/alice/lamp.git`, dir])).code).toBe(0);
    await git(['checkout', '--quiet', '-b', 'local', 'v1.0.0'], dir);
    for (let i = 0; i < 60; i++) await git(['commit', '--quiet', '--allow-empty', '-m', `local ${i}`], dir);
    expect((await publish(reg.app, alice, 'alice/lamp', '1.3.0', await designArchive('alice/lamp', '1.3.0'))).status).toBe(201);
    const f = await git(['fetch', '--tags', 'origin'], dir);
    expect(f.code).toBe(0);
    expect((await git(['tag', '--list'], dir)).stdout).toContain('v1.3.0');
  }, 30_000);
});

describe('only what a ref reaches is served', () => {
  it('refuses a want of an unreachable object by hash, over protocol v2 and v0', async () => {
    // A leftover no ref reaches (as a lost publish race would leave without its cleanup).
    const gitdir = reg.deps.designs.repoPath('alice/lamp');
    const secret = execFileSync('git', ['-C', gitdir, 'hash-object', '-w', '--stdin'], { input: 'not published\n', encoding: 'utf8' }).trim();
    const dir = path.join(work, 'lamp-want');
    expect((await git(['clone', '--quiet', '--bare', `${base}/git/alice/lamp.git`, dir])).code).toBe(0);
    for (const version of ['2', '0']) {
      const r = await git(['-c', `protocol.version=${version}`, 'fetch', 'origin', secret], dir);
      expect(r.code, `protocol v${version}`).not.toBe(0);
      expect(r.stderr, `protocol v${version}`).toMatch(/not our ref|does not allow request for unadvertised object/i);
      expect((await git(['cat-file', '-e', secret], dir)).code).not.toBe(0);
    }
    // A raw protocol v2 fetch naming it is answered with an error packet, and no pack.
    const v2 = Buffer.from(`${pkt('command=fetch\n')}0001${pkt(`want ${secret}\n`)}${pkt('done\n')}0000`);
    const res = await raw('/git/alice/lamp.git/git-upload-pack', {
      method: 'POST', body: v2,
      headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Git-Protocol': 'version=2', 'Content-Length': String(v2.length) },
    });
    expect(res.body.toString('latin1')).toContain(`ERR upload-pack: not our ref ${secret}`);
    expect(res.body.includes(Buffer.from('PACK'))).toBe(false);
    // force: the store's maintenance may already have rolled the loose leftover into a pack.
    fs.rmSync(path.join(gitdir, 'objects', secret.slice(0, 2), secret.slice(2)), { force: true });
  });

  it('answers 500 naming a design whose repository is damaged; other designs still clone', async () => {
    const token = await reg.account('bob');
    expect((await publish(reg.app, token, 'bob/torn', '1.0.0', await designArchive('bob/torn', '1.0.0'))).status).toBe(201);
    (reg.deps.designs as GitDesignStore).markDamaged('bob/torn', 'test: a torn pack');
    const r = await raw('/git/bob/torn.git/info/refs?service=git-upload-pack');
    expect(r.status).toBe(500);
    expect(r.body.toString()).toContain('bob/torn is damaged');
    expect(r.body.toString()).not.toContain(reg.dataDir);
    expect((await git(['clone', '--quiet', `${base}/git/alice/lamp.git`, path.join(work, 'lamp-still')])).code).toBe(0);
  });
});

describe('what the bridge refuses, before spawning anything', () => {
  it('refuses a push with 403 and spawns nothing', async () => {
    const dir = path.join(work, 'lamp-push');
    expect((await git(['clone', '--quiet', `${base}/git/alice/lamp.git`, dir])).code).toBe(0);
    await git(['checkout', '--quiet', '-b', 'evil', 'v1.0.0'], dir);
    await git(['commit', '--quiet', '--allow-empty', '-m', 'evil'], dir);
    const before = gitBridgeStats().spawned;
    const push = await git(['push', 'origin', 'evil:refs/tags/v9.9.9'], dir);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403/);
    for (const p of ['/git/alice/lamp.git/info/refs?service=git-receive-pack', '/git/alice/lamp.git/git-receive-pack', '/git/index.git/git-receive-pack']) {
      const res = await raw(p, { method: p.includes('?') ? 'GET' : 'POST', headers: { 'Content-Type': 'application/x-git-receive-pack-request' } });
      expect(res.status, p).toBe(403);
    }
    expect(gitBridgeStats().spawned).toBe(before);
    expect((await reg.deps.designs.versions('alice/lamp')).map((v) => v.version)).not.toContain('9.9.9');
  });

  it('answers 404 for unknown repositories and traversal attempts, and spawns nothing', async () => {
    const svc = '?service=git-upload-pack';
    const paths = [
      `/git/alice/nothing.git/info/refs${svc}`,
      `/git/../../etc/passwd`,
      `/git/../../etc/info/refs${svc}`,
      `/git/%2e%2e/%2e%2e/etc/info/refs${svc}`,
      `/git/alice/%2e%2e/lamp.git/info/refs${svc}`,
      `/git/alice%2flamp.git/info/refs${svc}`,
      `/git//alice/lamp.git/info/refs${svc}`,
      `/git/alice//lamp.git/info/refs${svc}`,
      `/git/alice/lamp.git.git/info/refs${svc}`,
      `/git/alice/lamp/info/refs${svc}`,
      `/git/Alice/lamp.git/info/refs${svc}`,
      `/git/api/lamp.git/info/refs${svc}`,
      `/git/index.git/../alice/lamp.git/info/refs${svc}`,
      `/git/alice/lamp.git/HEAD`,
      `/git/alice/lamp.git/objects/info/packs`,
      `/git/alice/lamp.git/config`,
      `/git/designs/alice/lamp.git/info/refs${svc}`,
      `/git/alice/lamp.git/info/refs/${svc}`,
      `/git/`,
    ];
    const before = gitBridgeStats().spawned;
    for (const p of paths) {
      const res = await raw(p);
      expect(res.status, p).toBe(404);
    }
    const clone = await git(['clone', '--quiet', `${base}/git/alice/nothing.git`, path.join(work, 'nothing')]);
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).toMatch(/not found/);
    expect(gitBridgeStats().spawned).toBe(before);
  });

  it('does not serve the dumb protocol or other methods', async () => {
    const before = gitBridgeStats().spawned;
    expect((await raw('/git/alice/lamp.git/info/refs')).status).toBe(403);
    expect((await raw('/git/alice/lamp.git/info/refs?service=git-upload-pack', { method: 'POST' })).status).toBe(405);
    expect((await raw('/git/alice/lamp.git/git-upload-pack')).status).toBe(405);
    expect((await raw('/git/alice/lamp.git/git-upload-pack', { method: 'POST', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await raw('/git/alice/lamp.git/info/refs?service=git-upload-pack', { headers: { 'Git-Protocol': 'version=2 X: y' } })).status).toBe(400);
    expect(gitBridgeStats().spawned).toBe(before);
  });
});

describe('children are bounded and never outlive their request', () => {
  let big: { server: http.Server; base: string };
  let capped: { server: http.Server; base: string };
  let slow: { server: http.Server; base: string };
  let bigCommit: string;
  const mount = (opts: GitBridgeOptions) => {
    const app = express();
    app.use('/git', gitRouter(reg.deps, opts));
    return listen(app);
  };

  beforeAll(async () => {
    // Incompressible content, larger than what loopback socket buffers absorb: the pack cannot be
    // written out in one go, so a client that stops reading leaves upload-pack blocked mid-clone.
    const files = designFiles('alice/big', '1.0.0');
    for (const name of ['a', 'b']) files.push({ path: `data/${name}.bin`, data: crypto.randomBytes(12 * 1024 * 1024) });
    expect((await publish(reg.app, alice, 'alice/big', '1.0.0', await writeArchive(files))).status).toBe(201);
    bigCommit = (await reg.deps.designs.version('alice/big', '1.0.0'))!.commit;
    big = await mount({});
    capped = await mount({ maxConcurrent: 2 });
    slow = await mount({ timeoutMs: 300 });
  }, 60_000);
  afterAll(async () => {
    for (const s of [big, capped, slow]) await new Promise((r) => s.server.close(r));
  });

  /** POST an upload-pack request whose body never completes: the child waits on stdin. */
  function hangingPost(at: string): http.ClientRequest {
    const url = new URL(at);
    const req = http.request({
      host: url.hostname, port: url.port, method: 'POST', path: '/git/alice/lamp.git/git-upload-pack',
      headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Content-Length': '1000' },
    });
    req.on('error', () => undefined);
    req.write('0032want ');
    return req;
  }

  it('kills the child (and its upload-pack) when the client disconnects mid-clone', async () => {
    const before = gitBridgeStats();
    const url = new URL(big.base);
    let received = 0;
    const req = http.request({
      host: url.hostname, port: url.port, method: 'POST', path: '/git/alice/big.git/git-upload-pack',
      headers: { 'Content-Type': 'application/x-git-upload-pack-request' },
    }, (res) => {
      expect(res.statusCode).toBe(200);
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (received > 256 * 1024) res.pause(); // stop reading: back-pressure up to git
      });
    });
    req.on('error', () => undefined);
    req.end(wantRequest(bigCommit));

    expect(await until(() => received > 256 * 1024, 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(gitBridgeStats().active).toBe(before.active + 1); // mid-clone: the child is still running
    const groups = gitBridgeStats().recentGroups.slice(-1);
    expect(survivors(groups).length).toBeGreaterThan(0);

    req.destroy();
    expect(await until(() => gitBridgeStats().active === before.active)).toBe(true);
    expect(await until(() => survivors(groups).length === 0)).toBe(true);
    expect(gitChildren()).toEqual([]);
    expect(received).toBeLessThan(24 * 1024 * 1024);
  }, 30_000);

  it('kills the child when the client disconnects while still sending its request', async () => {
    const before = gitBridgeStats();
    const req = hangingPost(big.base);
    expect(await until(() => gitBridgeStats().spawned === before.spawned + 1)).toBe(true);
    const groups = gitBridgeStats().recentGroups.slice(-1);
    req.destroy();
    expect(await until(() => gitBridgeStats().active === before.active)).toBe(true);
    expect(await until(() => survivors(groups).length === 0)).toBe(true);
    expect(gitChildren()).toEqual([]);
  });

  it('caps concurrent git children: the next request gets 503 with Retry-After, nothing spawned', async () => {
    const before = gitBridgeStats();
    const held = [hangingPost(capped.base), hangingPost(capped.base)];
    expect(await until(() => gitBridgeStats().active === before.active + 2)).toBe(true);
    const res = await raw('/git/alice/lamp.git/info/refs?service=git-upload-pack', {}, capped.base);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(gitBridgeStats().spawned).toBe(before.spawned + 2);
    for (const r of held) r.destroy();
    expect(await until(() => gitBridgeStats().active === before.active)).toBe(true);
    const ok = await raw('/git/alice/lamp.git/info/refs?service=git-upload-pack', {}, capped.base);
    expect(ok.status).toBe(200);
  });

  it('kills a child that outlives the timeout and answers 504', async () => {
    const before = gitBridgeStats();
    const url = new URL(slow.base);
    const status = await new Promise<number>((resolve) => {
      const req = http.request({
        host: url.hostname, port: url.port, method: 'POST', path: '/git/alice/lamp.git/git-upload-pack',
        headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Content-Length': '1000' },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(-1));
      req.write('0032want ');
    });
    expect(status).toBe(504);
    const groups = gitBridgeStats().recentGroups.slice(-1);
    expect(await until(() => gitBridgeStats().active === before.active)).toBe(true);
    expect(await until(() => survivors(groups).length === 0)).toBe(true);
  });
});

describe('git upload-pack runs directly (no git http-backend in between)', () => {
  type Spawned = { command: string; args: string[] };
  let spawned: Spawned[];
  let direct: { server: http.Server; base: string };
  let broken: { server: http.Server; base: string };

  /** `git http-backend` itself, as a CGI: status, headers (lowercase) and body. */
  function httpBackend(gitdir: string, method: string, pathInfo: string, query: string, protocol?: string, body?: Buffer): { headers: Record<string, string>; body: Buffer } {
    const backend = path.join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_PROJECT_ROOT: path.dirname(gitdir), PATH_INFO: `/${path.basename(gitdir)}/${pathInfo}`, GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: method, QUERY_STRING: query,
    };
    if (protocol) env.GIT_PROTOCOL = protocol;
    if (body) {
      env.CONTENT_TYPE = 'application/x-git-upload-pack-request';
      env.CONTENT_LENGTH = String(body.length);
    }
    const out = execFileSync(backend, [], { env, input: body ?? Buffer.alloc(0) });
    const end = out.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of out.subarray(0, end).toString('latin1').split('\r\n')) {
      const at = line.indexOf(':');
      headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
    }
    return { headers, body: out.subarray(end + 4) };
  }
  const cgiHeaders = (h: http.IncomingHttpHeaders) => ({ 'content-type': h['content-type'], 'cache-control': h['cache-control'], expires: h.expires, pragma: h.pragma });

  beforeAll(async () => {
    spawned = [];
    const record: GitBridgeOptions['spawn'] = (command, args, o) => {
      spawned.push({ command, args });
      return nodeSpawn(command, args, o);
    };
    let app = express();
    app.use('/git', gitRouter(reg.deps, { spawn: record }));
    direct = await listen(app);
    // Every child pointed at a repository that does not exist: git fails before its first byte.
    app = express();
    app.use('/git', gitRouter(reg.deps, { spawn: (command, args, o) => nodeSpawn(command, [...args.slice(0, -1), path.join(work, 'no-such-repo.git')], o) }));
    broken = await listen(app);
  });
  afterAll(async () => {
    for (const s of [direct, broken]) await new Promise((r) => s.server.close(r));
  });

  it('clones over protocol v2 and v0 spawning only `git upload-pack --stateless-rpc`', async () => {
    const gitdir = reg.deps.designs.repoPath('alice/lamp');
    for (const version of ['2', '0']) {
      spawned.length = 0;
      const dir = path.join(work, `lamp-direct-v${version}`);
      const r = await git(['-c', `protocol.version=${version}`, 'clone', `${direct.base}/git/alice/lamp.git`, dir]);
      expect(r.stderr, `protocol v${version}`).not.toMatch(/fatal|error/i);
      expect(r.code, `protocol v${version}`).toBe(0);
      expect((await git(['tag', '--list'], dir)).stdout.trim().split('\n')).toContain('v1.1.0');
      expect((await git(['fsck', '--no-dangling'], dir)).code).toBe(0);
      expect(spawned.map((s) => s.command)).not.toContain(expect.stringMatching(/http-backend/));
      expect(spawned.every((s) => s.command === 'git' && s.args[0] === 'upload-pack' && s.args[1] === '--stateless-rpc' && s.args.at(-1) === gitdir)).toBe(true);
      // v2: the capabilities come from memory and ls-refs is answered in process, so the fetch is
      // the only child; v0: the advertisement, then the fetch.
      expect(spawned.map((s) => s.args.slice(1, -1).join(' ')), `protocol v${version}`).toEqual(version === '2' ? ['--stateless-rpc'] : ['--stateless-rpc --advertise-refs', '--stateless-rpc']);
    }
  });

  it('answers info/refs with the bytes and headers git http-backend sends (v0 and v2)', async () => {
    for (const [repo, gitdir] of [['alice/lamp', reg.deps.designs.repoPath('alice/lamp')], ['index', reg.deps.index.repoPath()]] as const) {
      for (const protocol of [undefined, 'version=2']) {
        const r = await raw(`/git/${repo}.git/info/refs?service=git-upload-pack`, { headers: protocol ? { 'Git-Protocol': protocol } : {} }, direct.base);
        const cgi = httpBackend(gitdir, 'GET', 'info/refs', 'service=git-upload-pack', protocol);
        expect(r.status).toBe(200);
        expect(cgiHeaders(r.headers), `${repo} ${protocol}`).toEqual(cgi.headers);
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.body.toString('latin1'), `${repo} ${protocol}`).toBe(cgi.body.toString('latin1'));
      }
    }
  });

  it('answers a fetch with the headers and bytes git http-backend sends', async () => {
    const gitdir = reg.deps.designs.repoPath('alice/lamp');
    const record = await reg.deps.designs.version('alice/lamp', '1.0.0');
    // no-progress: the progress lines (side band 2) depend on timing.
    const body = Buffer.from(`${pkt(`want ${record!.commit} side-band-64k ofs-delta no-progress\n`)}0000${pkt('done\n')}`);
    const r = await raw('/git/alice/lamp.git/git-upload-pack', {
      method: 'POST', body, headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Content-Length': String(body.length) },
    }, direct.base);
    const cgi = httpBackend(gitdir, 'POST', 'git-upload-pack', '', undefined, body);
    expect(r.status).toBe(200);
    expect(cgiHeaders(r.headers)).toEqual(cgi.headers);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // The same answer: NAK, then a pack of the same objects on side band 1 (the pack's bytes may
    // differ: the store's maintenance can repack between the two requests).
    const demux = (b: Buffer) => {
      const lines: string[] = [];
      const band1: Buffer[] = [];
      for (let at = 0; at + 4 <= b.length; ) {
        const len = Number.parseInt(b.toString('latin1', at, at + 4), 16);
        if (len === 0) { lines.push('flush'); at += 4; continue; }
        if (b[at + 4] === 1) band1.push(b.subarray(at + 5, at + len));
        else lines.push(b.toString('latin1', at + 4, at + len));
        at += len;
      }
      const pack = Buffer.concat(band1);
      return { lines, magic: pack.toString('latin1', 0, 4), objects: pack.readUInt32BE(8) };
    };
    expect(demux(r.body)).toEqual(demux(cgi.body));
    expect(demux(r.body).magic).toBe('PACK');
  });

  it('answers an empty v2 request (a flush alone) with an empty 200, as git does', async () => {
    const r = await raw('/git/alice/lamp.git/git-upload-pack', {
      method: 'POST', body: Buffer.from('0000'),
      headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Git-Protocol': 'version=2', 'Content-Length': '4' },
    }, direct.base);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-git-upload-pack-result');
    expect(r.body.length).toBe(0);
  });

  it('answers 500 naming the repository, never its path, when git fails before its first byte', async () => {
    const before = gitBridgeStats();
    const record = await reg.deps.designs.version('alice/lamp', '1.0.0');
    const body = wantRequest(record!.commit);
    for (const [p, opts] of [
      ['/git/alice/lamp.git/git-upload-pack', { method: 'POST', body, headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Content-Length': String(body.length) } }],
      ['/git/alice/lamp.git/info/refs?service=git-upload-pack', {}],
    ] as const) {
      const r = await raw(p, opts, broken.base);
      expect(r.status, p).toBe(500);
      expect(r.body.toString(), p).toContain('alice/lamp');
      expect(r.body.toString(), p).not.toContain(work);
      expect(r.body.toString(), p).not.toContain(reg.dataDir);
    }
    expect(await until(() => gitBridgeStats().active === before.active)).toBe(true);
    const clone = await git(['clone', '--quiet', `${broken.base}/git/alice/lamp.git`, path.join(work, 'lamp-broken')]);
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).not.toContain(work);
  });
});

describe('parseCgiHeaders', () => {
  it('reads the CGI status and passes only the headers git needs', () => {
    expect(parseCgiHeaders('Status: 403 Forbidden\r\nContent-Type: text/plain\r\nSet-Cookie: x=1\r\nExpires: Fri, 01 Jan 1980 00:00:00 GMT')).toEqual({
      status: 403, headers: { 'content-type': 'text/plain', expires: 'Fri, 01 Jan 1980 00:00:00 GMT' },
    });
    expect(parseCgiHeaders('Content-Type: application/x-git-upload-pack-advertisement').status).toBe(200);
  });
});
