/**
 * Issue 7 end to end: a new user forks an example design with the real CLI, clones it with
 * `ohw clone`, changes the BOM, publishes, sees the lineage both ways — and `git clone` works for
 * both designs over HTTP with the stock git client.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSeat } from '../helpers/processes.ts';

const seat = useSeat();
const cli = (args: string[], env: Record<string, string> = {}) => seat.cli(args, { env });

const gitEnv = () => ({
  ...process.env, HOME: seat.home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Maria', GIT_AUTHOR_EMAIL: 'maria@example.org', GIT_COMMITTER_NAME: 'Maria', GIT_COMMITTER_EMAIL: 'maria@example.org',
});
function git(args: string[], cwd = seat.work): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, env: gitEnv() }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
  });
}

/** Set the quantity of one BOM line (by id) in a design.yaml text. */
const setQuantity = (yaml: string, id: string, quantity: number) =>
  yaml.replace(new RegExp(`(- id: ${id}\\n(?:(?!  - id:).*\\n)*?\\s+quantity: )[\\d.]+`), `$1${quantity}`);


describe('fork an example design, change it, publish it, follow the lineage, clone with git', { timeout: 240_000 }, () => {
  const dir = () => path.join(seat.work, 'power-cube');

  it('a new user forks ose/power-cube', async () => {
    expect((await cli(['register', '--name', 'maria', '--email', 'maria@example.org', '--password', 'a long enough password'])).code).toBe(0);
    const r = await cli(['fork', 'ose/power-cube']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/forked ose\/power-cube@1\.1\.0 as maria\/power-cube/);
    const again = await cli(['fork', 'ose/power-cube']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    const unknown = await cli(['fork', 'ose/no-such-design']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not found');
  });

  it('ohw clone checks out the fork point and renames design.yaml for the fork', async () => {
    const r = await cli(['clone', 'maria/power-cube', dir()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checked out ose/power-cube@1.1.0');
    const yaml = fs.readFileSync(path.join(dir(), 'design.yaml'), 'utf8');
    expect(yaml).toMatch(/^name: maria\/power-cube$/m);
    expect(yaml).toMatch(/^forkOf:\n {2}package: ose\/power-cube\n {2}version: "1\.1\.0"$/m);
    // The upstream's history came along.
    const log = await git(['log', '--format=%s', 'refs/upstream/tags/v1.1.0'], dir());
    expect(log.stdout).toContain('ose/power-cube 1.1.0');
  });

  it('publishes a modified version with a changed BOM', async () => {
    const file = path.join(dir(), 'design.yaml');
    const yaml = fs.readFileSync(file, 'utf8');
    const edited = setQuantity(yaml, 'quick-attach-plate', 4).replace(/^version: .*$/m, 'version: 1.2.0');
    expect(edited).not.toBe(yaml);
    fs.writeFileSync(file, edited);
    expect((await git(['commit', '-qam', 'Four quick-attach plates'], dir())).code).toBe(0);
    const r = await cli(['publish', dir()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('published maria/power-cube@1.2.0');
  });

  it('ohw info shows the lineage both ways, with the upstream diff for the fork', async () => {
    let r = await cli(['info', 'maria/power-cube']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fork of: ose/power-cube@1.1.0');
    expect(r.stdout).toContain('upstream: no new upstream versions since 1.1.0');
    // The fork's own edit (quick-attach-plate 4 → 2) is not an upstream change.
    expect(r.stdout).not.toContain('quick-attach-plate');

    r = await cli(['info', 'ose/power-cube']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/forks: +maria\/power-cube \(from 1\.1\.0, 1 version\(s\)\)/);
  });

  it('when the upstream publishes a new version, the fork sees it and the diff', async () => {
    // The upstream's owner account has no known password; the admin may publish for it.
    const admin = fs.readFileSync(path.join(seat.server.dataDir, 'admin-token'), 'utf8').trim();
    const up = path.join(seat.work, 'upstream');
    expect((await cli(['download', 'ose/power-cube@1.1.0', '-o', up])).code).toBe(0);
    const file = path.join(up, 'design.yaml');
    fs.writeFileSync(file, setQuantity(fs.readFileSync(file, 'utf8'), 'hydraulic-oil', 40).replace(/^version: .*$/m, 'version: 1.3.0'));
    const pub = await cli(['publish', up], { OHW_TOKEN: admin });
    expect(pub.stderr).toBe('');
    expect(pub.code).toBe(0);

    const r = await cli(['info', 'maria/power-cube', '--json']);
    const info = JSON.parse(r.stdout);
    expect(info.upstream.newVersions.map((v: { version: string }) => v.version)).toEqual(['1.3.0']);
    expect(info.upstream.diff.to).toEqual({ package: 'ose/power-cube', version: '1.3.0' });
    const ids = info.upstream.diff.bom.quantityChanged.map((l: { id: string }) => l.id).sort();
    expect(info.upstream.diff.from).toEqual({ package: 'ose/power-cube', version: '1.1.0' });
    expect(ids).toEqual(['hydraulic-oil']);
    const text = await cli(['info', 'maria/power-cube']);
    expect(text.stdout).toContain('upstream: 1 new upstream version(s) since 1.1.0: 1.3.0');
    expect(text.stdout).toContain('ose/power-cube@1.1.0 → ose/power-cube@1.3.0');
    expect(text.stdout).toContain('bom ~ hydraulic-oil quantity');
  });

  it('git clone works for both designs over HTTP with the stock git client', async () => {
    const upstream = path.join(seat.work, 'git-upstream');
    let r = await git(['clone', `${seat.server.url}/git/ose/power-cube.git`, upstream]);
    expect(r.code).toBe(0);
    expect((await git(['tag', '--list'], upstream)).stdout.trim().split('\n')).toEqual(['v1.1.0', 'v1.3.0']);

    const forked = path.join(seat.work, 'git-fork');
    r = await git(['clone', `${seat.server.url}/git/maria/power-cube.git`, forked]);
    expect(r.code).toBe(0);
    expect((await git(['tag', '--list'], forked)).stdout.trim()).toBe('v1.2.0');
    expect((await git(['checkout', '--quiet', 'v1.2.0'], forked)).code).toBe(0);
    const yaml = fs.readFileSync(path.join(forked, 'design.yaml'), 'utf8');
    expect(yaml).toMatch(/^name: maria\/power-cube$/m);
    expect(setQuantity(yaml, 'quick-attach-plate', 4)).toBe(yaml);

    // Pushing is refused.
    const push = await git(['push', 'origin', 'HEAD:refs/tags/v9.0.0'], forked);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403/);
  });
});
