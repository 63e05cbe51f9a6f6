import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useSeat } from '../helpers/processes.ts';
import { REPO_ROOT } from '../helpers/registry.ts';

const seat = useSeat();
const cli = (args: string[], cwd = seat.work, env: Record<string, string> = {}) => seat.cli(args, { cwd, env });


// Several CLI processes per step: seconds each on a loaded machine.
describe('a new user against a fresh registry', { timeout: 240_000 }, () => {
  it('sees the example designs published on first start', async () => {
    const res = await fetch(`${seat.server.url}/api/v1/designs/ose/power-cube`);
    expect(res.status).toBe(200);
    const body = await res.json() as { latest: string; owners: string[] };
    expect(body.owners).toEqual(['ose']);
    expect(body.latest).toMatch(/^\d+\.\d+\.\d+$/);
    expect(seat.server.logs.join('\n')).toMatch(/admin token written to .*admin-token/);
    const mode = fs.statSync(path.join(seat.server.dataDir, 'admin-token')).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('searches: "earth block" finds the press; --can-make lists only buildable designs; a table on request', async () => {
    let r = await cli(['search', 'earth block', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).hits[0].package).toBe('ose/liberator-ceb-press');
    r = await cli(['search', '--can-make', 'ASM,3DP,LAS', '--json', '--limit', '100']);
    const hits = JSON.parse(r.stdout).hits as Array<{ processes: string[] }>;
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const h of hits) expect(h.processes.every((p) => ['ASM', '3DP', 'LAS'].includes(p))).toBe(true);
    r = await cli(['search', 'tractr', '--table']);
    expect(r.stdout).toMatch(/^design\s+title\s+processes/);
    expect(r.stdout).toContain('ose/lifetrac@');
    r = await cli(['search', '--category', 'Spaceships']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('category');
  });

  it('registers, and the token lands in a 0600 config file', async () => {
    const r = await cli(['register', '--name', 'maria', '--email', 'maria@example.org', '--password', 'a long enough password']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('registered maria');
    const config = path.join(seat.home, '.config/ohw/config.json');
    expect(fs.statSync(config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(config, 'utf8')).tokens[seat.server.url].account).toBe('maria');
  });

  it('dry-runs a publish of an example design without uploading', async () => {
    const r = await cli(['publish', path.join(REPO_ROOT, 'designs/ose--power-cube'), '--dry-run', '--allow-dirty']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run: would publish ose/power-cube@');
    expect(r.stdout).toMatch(/checksum: sha256:[0-9a-f]{64}/);
  });

  it('inits, validates, packs and publishes a new design, then reads and downloads it', async () => {
    const dir = path.join(seat.work, 'solar-dryer');
    let r = await cli(['init', dir, '--name', 'maria/solar-dryer', '--title', 'Solar food dryer', '--category', 'Agriculture', '--process', 'WOD,ASM']);
    expect(r.code).toBe(0);
    r = await cli(['validate', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('maria/solar-dryer@0.1.0 is valid');
    r = await cli(['pack', dir, '-o', path.join(seat.work, 'dryer.tar.gz')]);
    expect(r.code).toBe(0);
    const checksum = /checksum: (sha256:[0-9a-f]{64})/.exec(r.stdout)![1];

    r = await cli(['publish', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('published maria/solar-dryer@0.1.0');
    expect(r.stdout).toContain(checksum);

    r = await cli(['info', 'maria/solar-dryer']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('owners:  maria');
    expect(r.stdout).toContain('0.1.0');

    r = await cli(['info', 'maria/solar-dryer@0.1.0', '--json']);
    expect(JSON.parse(r.stdout).checksum).toBe(checksum);

    const out = path.join(seat.work, 'downloaded');
    r = await cli(['download', 'maria/solar-dryer@^0.1.0', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`checksum verified: ${checksum}`);
    expect(fs.readFileSync(path.join(out, 'design.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'design.yaml'), 'utf8'));
  });

  it('refuses to publish the same version twice (exit 1, VERSION_EXISTS)', async () => {
    const r = await cli(['publish', path.join(seat.work, 'solar-dryer')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
  });

  it('refuses a dirty git seat.work tree unless --allow-dirty, and records the source commit', async () => {
    const dir = path.join(seat.work, 'gitted');
    await cli(['init', dir, '--name', 'maria/gitted-design']);
    const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { stdio: 'pipe' }).toString().trim();
    git('init', '-q'); git('add', '-A');
    git('-c', 'user.name=M', '-c', 'user.email=m@example.org', 'commit', '-qm', 'first');
    fs.appendFileSync(path.join(dir, 'README.md'), '\nmore\n');
    let r = await cli(['publish', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('uncommitted changes');
    git('-c', 'user.name=M', '-c', 'user.email=m@example.org', 'commit', '-qam', 'second');
    r = await cli(['publish', dir]);
    expect(r.code).toBe(0);
    r = await cli(['info', 'maria/gitted-design@0.1.0', '--json']);
    expect(JSON.parse(r.stdout).sourceCommit).toBe(git('rev-parse', 'HEAD'));
  });

  it('yanks and un-yanks; a yanked version is skipped by ranges but downloadable exactly', async () => {
    const dir = path.join(seat.work, 'solar-dryer');
    const yaml = path.join(dir, 'design.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('version: 0.1.0', 'version: 0.2.0'));
    expect((await cli(['publish', dir])).code).toBe(0);
    let r = await cli(['yank', 'maria/solar-dryer@0.2.0', '--reason', 'wrong wood thickness']);
    expect(r.code).toBe(0);
    // The reason is kept and shown, on the design and on the version.
    r = await cli(['info', 'maria/solar-dryer']);
    expect(r.stdout).toMatch(/0\.2\.0 .*yes, by maria on \d{4}-\d\d-\d\d: wrong wood thickness/);
    r = await cli(['info', 'maria/solar-dryer@0.2.0']);
    expect(r.stdout).toMatch(/yanked: +yes, by maria on \d{4}-\d\d-\d\d: wrong wood thickness/);
    r = await cli(['download', 'maria/solar-dryer', '-o', path.join(seat.work, 'latest'), '--json']);
    expect(JSON.parse(r.stdout).version).toBe('0.1.0');
    r = await cli(['download', 'maria/solar-dryer@0.2.0', '-o', path.join(seat.work, 'exact')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('yanked');
    r = await cli(['yank', 'maria/solar-dryer@0.2.0', '--undo']);
    expect(r.stdout).toContain('un-yanked');
  });

  it('answers usage errors with exit 2 and an unreachable registry with exit 3', async () => {
    expect((await cli(['publish', '--no-such-flag'])).code).toBe(2);
    const r = await cli(['info', 'ose/power-cube'], seat.work, { OHW_REGISTRY: 'http://127.0.0.1:9' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot reach the registry');
  });

  it('unknown designs exit 1 with NOT_FOUND', async () => {
    const r = await cli(['info', 'someone/nothing-here']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not found');
  });
});
