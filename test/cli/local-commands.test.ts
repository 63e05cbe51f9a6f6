import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/processes.ts';
import { REPO_ROOT } from '../helpers/registry.ts';

let work: string;
beforeAll(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-cli-')); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const cli = (args: string[]) => runCli(args, { cwd: work, env: { HOME: work, XDG_CONFIG_HOME: path.join(work, '.config') } });

async function starter(name: string): Promise<string> {
  const dir = path.join(work, name);
  const r = await cli(['init', dir, '--name', `maker/${name}`]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

const editYaml = (dir: string, from: string | RegExp, to: string) => {
  const file = path.join(dir, 'design.yaml');
  const before = fs.readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
};

describe('ohw init', () => {
  it('writes a starter design that validates, without a terminal, from flags', async () => {
    const dir = await starter('first-design');
    for (const f of ['design.yaml', 'README.md', 'src/first-design.scad', 'docs/assembly.md']) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    const r = await cli(['validate', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ maker/first-design@0.1.0 is valid');
  });

  it('refuses to overwrite an existing design.yaml', async () => {
    const dir = await starter('kept');
    const r = await cli(['init', dir, '--name', 'maker/kept']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
  });

  it('needs --name when not on a terminal (usage, exit 2), and checks the flags', async () => {
    let r = await cli(['init', path.join(work, 'nameless')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name');
    r = await cli(['init', path.join(work, 'badlic'), '--name', 'maker/badlic', '--license-hardware', 'CC-BY-NC-4.0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--license-hardware');
  });
});

describe('ohw validate', () => {
  it('prints issues as file:line:column field: message and exits 1', async () => {
    const dir = await starter('bad-licence');
    editYaml(dir, 'hardware: CERN-OHL-S-2.0', 'hardware: CERN-OHL-2');
    const r = await cli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('design.yaml:15:13 license.hardware: unknown SPDX id "CERN-OHL-2" (did you mean CERN-OHL-S-2.0?)');
  });

  it('answers --json with the located issues', async () => {
    const dir = await starter('json-out');
    editYaml(dir, 'quantity: 1', 'quantity: 0');
    const r = await cli(['validate', dir, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.issues[0]).toMatchObject({ file: 'design.yaml', path: 'bom[0].quantity', severity: 'error' });
    expect(out.issues[0].line).toBeGreaterThan(0);
  });

  it('names a missing referenced file', async () => {
    const dir = await starter('missing-file');
    fs.rmSync(path.join(dir, 'docs/assembly.md'));
    const r = await cli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/design\.yaml:\d+:\d+ docs\.assembly\[0\]: .*docs\/assembly\.md/);
  });

  it('validates every example design', async () => {
    for (const d of fs.readdirSync(path.join(REPO_ROOT, 'designs'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const r = await cli(['validate', path.join(REPO_ROOT, 'designs', d.name), '--json']);
      expect(r.code, `${d.name}: ${r.stdout}`).toBe(0);
    }
  }, 120_000);
});

describe('ohw pack', () => {
  it('builds the archive, honours .ohwignore and skips .git, and prints the checksum', async () => {
    const dir = await starter('packed');
    fs.writeFileSync(path.join(dir, '.ohwignore'), '*.bak\nbuild/\n');
    fs.writeFileSync(path.join(dir, 'notes.bak'), 'old');
    fs.mkdirSync(path.join(dir, 'build'));
    fs.writeFileSync(path.join(dir, 'build/out.stl'), 'solid x');
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git/HEAD'), 'ref: refs/heads/main');
    const out = path.join(work, 'packed.tar.gz');
    const r = await cli(['pack', dir, '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const listing = zlib.gunzipSync(fs.readFileSync(out)).toString('latin1');
    expect(listing).toContain('design.yaml');
    expect(listing).not.toContain('notes.bak');
    expect(listing).not.toContain('build/out.stl');
    expect(listing).not.toContain('.git/HEAD');
  });

  it('gives the same checksum for the same files, run after run', async () => {
    const dir = path.join(work, 'packed');
    const a = JSON.parse((await cli(['pack', dir, '-o', path.join(work, 'a.tgz'), '--json'])).stdout);
    const b = JSON.parse((await cli(['pack', dir, '-o', path.join(work, 'b.tgz'), '--json'])).stdout);
    expect(a.checksum).toBe(b.checksum);
    expect(fs.readFileSync(path.join(work, 'a.tgz')).equals(fs.readFileSync(path.join(work, 'b.tgz')))).toBe(true);
  });

  it('refuses a symlink and case-colliding names with the path named (exit 1)', async () => {
    const dir = await starter('linked');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
    let r = await cli(['pack', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"passwd"');
    expect(r.stderr).toMatch(/symbolic link/);
    fs.rmSync(path.join(dir, 'passwd'));
    fs.writeFileSync(path.join(dir, 'Readme.md'), 'twin');
    r = await cli(['pack', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/README\.md.*Readme\.md|Readme\.md.*README\.md/);
  });

  it('refuses to pack an invalid design, listing its issues', async () => {
    const dir = await starter('invalid-pack');
    editYaml(dir, /summary: .*\n/, '');
    const r = await cli(['pack', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing required field "summary"');
  });
});

describe('ohw publish in a git checkout', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=M', '-c', 'user.email=m@example.org', ...args], { cwd, encoding: 'utf8' }).trim();

  it('`ohw init` of another design, and files the design leaves out, do not make the design dirty', async () => {
    const repo = path.join(work, 'checkout');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q');
    const first = await cli(['init', path.join(repo, 'first'), '--name', 'maker/first']);
    expect(first.code, first.stderr).toBe(0);
    fs.writeFileSync(path.join(repo, 'first', '.ohwignore'), 'notes/\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'first design');
    // A second design started in the same checkout, a stray file at the top, and notes the first
    // design's .ohwignore leaves out: none of them is published with "first".
    expect((await cli(['init', path.join(repo, 'second'), '--name', 'maker/second'])).code).toBe(0);
    fs.writeFileSync(path.join(repo, 'todo.txt'), 'later\n');
    fs.mkdirSync(path.join(repo, 'first', 'notes'));
    fs.writeFileSync(path.join(repo, 'first', 'notes', 'ideas.md'), 'ideas\n');
    let r = await cli(['publish', path.join(repo, 'first'), '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`source commit: ${git(repo, 'rev-parse', 'HEAD')}`);
    // A change to a packaged file still stops the publish, naming it.
    fs.appendFileSync(path.join(repo, 'first', 'README.md'), '\nmore\n');
    r = await cli(['publish', path.join(repo, 'first'), '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('first/README.md');
    expect(r.stderr).not.toContain('todo.txt');
    expect(r.stderr).not.toContain('second/');
  }, 180_000); // five CLI processes: seconds each on a loaded machine
});
