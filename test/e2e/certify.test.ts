/**
 * Certification end to end: the real server and the real `ohw` CLI. An owner publishes a design
 * and requests certification, two reviewers approve with checklist files, and a third party
 * verifies the certificate from git alone; then the certificate is revoked, and then the
 * registry's index history is rewritten on disk, which verify must report as tampering.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineHash } from '../../schema/certification/record.ts';
import { runCli, startServer, type RunningServer } from '../helpers/processes.ts';
import { REPO_ROOT } from '../helpers/registry.ts';

const ADMIN = 'e2e-admin-token-certify-0123456789';
const PASSWORD = 'a long enough password';
const PKG = 'maria/laser-cut-enclosure';

let server: RunningServer;
let root: string;
const homes: Record<string, string> = {};

/** Run the CLI as one person (own HOME and config), optionally with extra env. */
const as = (who: string, args: string[], env: Record<string, string> = {}) => {
  homes[who] ??= fs.mkdtempSync(path.join(root, `home-${who}-`));
  const home = homes[who]!;
  return runCli(args, { cwd: root, env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), OHW_REGISTRY: server.url, OHW_TOKEN: '', ...env } });
};
const git = (args: string[], input?: string, env: Record<string, string> = {}) =>
  execFileSync('git', args, { cwd: path.join(server.dataDir, 'index.git'), input, encoding: 'utf8', env: { ...process.env, ...env } }).trim();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-certify-e2e-'));
  server = await startServer({ OHW_ADMIN_TOKEN: ADMIN, OHW_SEED: '0' });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  for (const d of [root, server?.dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

// Each step runs several CLI processes; on a loaded machine they take seconds each.
describe('ohw certify, end to end', { timeout: 240_000 }, () => {
  let id = '';
  const uid = 'OHC-000001';
  let checklistFile = '';

  it('publishes an example design under a new owner and requests certification', async () => {
    for (const who of ['maria', 'rev-one', 'rev-two']) {
      const r = await as(who, ['register', '--name', who, '--email', `${who}@example.org`, '--password', PASSWORD]);
      expect(r.code, r.stderr).toBe(0);
    }
    const dir = path.join(root, 'enclosure');
    fs.cpSync(path.join(REPO_ROOT, 'designs/fablab--laser-cut-enclosure'), dir, { recursive: true });
    const yaml = fs.readFileSync(path.join(dir, 'design.yaml'), 'utf8');
    expect(yaml).toContain('name: fablab/laser-cut-enclosure');
    fs.writeFileSync(path.join(dir, 'design.yaml'), yaml.replace('name: fablab/laser-cut-enclosure', `name: ${PKG}`));
    let r = await as('maria', ['publish', dir, '--allow-dirty']);
    expect(r.code, r.stderr).toBe(0);

    r = await as('maria', ['certify', 'request', `${PKG}@1.0.0`]);
    expect(r.code, r.stderr).toBe(0);
    id = /^(CR-\d{6}):/m.exec(r.stdout)![1]!;
    expect(r.stdout).toContain(`${PKG}@1.0.0 is in-review`);
    r = await as('maria', ['certify', 'request', PKG]);
    expect(r.code).toBe(2); // no version: usage
  });

  it('prints a checklist template with every item and its question, every result empty', async () => {
    const r = await as('rev-one', ['certify', 'checklist']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('oshw-documentation:');
    expect(r.stdout).toContain('# Is the documentation sufficient for a skilled producer to build it without reverse engineering?');
    // Nothing is answered for the reviewer: no result is prefilled.
    expect(r.stdout).not.toMatch(/^\s+result: *(pass|fail|n\/a)\b/m);
    fs.writeFileSync(path.join(root, 'empty-review.yaml'), r.stdout);
    // The reviewer answers each item (here: required ones pass, the optional one n/a).
    const filled = r.stdout.replace(/^(\s+)result: +# pass \| fail \| n\/a$/gm, '$1result: n/a').replace(/^(\s+)result: +# pass \| fail$/gm, '$1result: pass');
    expect(filled).not.toMatch(/result: +#/);
    checklistFile = path.join(root, 'review.yaml');
    fs.writeFileSync(checklistFile, filled);
  });

  it('reviewers need the role: without it the review is refused (exit 1)', async () => {
    const r = await as('rev-one', ['certify', 'review', id, '--checklist', checklistFile, '--decision', 'approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/reviewer role/);
  });

  it('two reviewers approve and the certificate is issued', async () => {
    for (const who of ['rev-one', 'rev-two']) {
      const res = await fetch(`${server.url}/api/v1/accounts/${who}/roles`, {
        method: 'PUT', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ roles: ['reviewer'] }),
      });
      expect(res.status).toBe(200);
      const login = await as(who, ['login', '--name', who, '--password', PASSWORD, '--scopes', 'review']);
      expect(login.code, login.stderr).toBe(0);
    }
    // The template as printed approves nothing: every empty result is named.
    let r = await as('rev-one', ['certify', 'review', id, '--checklist', path.join(root, 'empty-review.yaml'), '--decision', 'approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('checklist.oshw-documentation.result must be one of pass, fail, n/a');
    r = await as('rev-one', ['certify', 'review', id, '--checklist', checklistFile, '--decision', 'approve', '--technology', 'OTRL-4', '--comment', 'builds as documented']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 of 2 approvals');
    r = await as('rev-one', ['certify', 'review', id, '--checklist', checklistFile, '--decision', 'approve']);
    expect(r.code).toBe(1); // second review by the same reviewer: conflict
    r = await as('rev-two', ['certify', 'review', id, '--checklist', checklistFile, '--decision', 'maybe']);
    expect(r.code).toBe(2);
    r = await as('rev-two', ['certify', 'review', id, '--checklist', checklistFile, '--decision', 'approve', '--technology', 'OTRL-5', '--documentation', 'ODRL-3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`certificate ${uid}`);

    r = await as('someone', ['certify', 'show', uid]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${id}  ${PKG}@1.0.0  —  CERTIFIED`);
    expect(r.stdout).toMatch(/editable-sources\s+✓ pass\s+native sources: src\/enclosure.scad/);
    // Strict BOM check: every one of the enclosure's 8 lines has an MPN, an offer or a part.
    expect(r.stdout).toMatch(/bom-complete\s+✓ pass\s+8 BOM line\(s\), each with a quantity and an MPN, offer, part or sub-assembly/);
    expect(r.stdout).toContain('round 1: rev-one — approve OTRL-4');
    expect(r.stdout).toContain('maturity: OTRL-4, ODRL-3*');
    r = await as('someone', ['certify', 'show', id, '--json']);
    expect(JSON.parse(r.stdout).certificate.uid).toBe(uid);

    const badge = await fetch(`${server.url}/api/v1/certificates/${uid}/badge.svg`);
    expect(badge.status).toBe(200);
    const svg = await badge.text();
    expect(svg).toContain(uid);
    expect(svg).toContain('v1.0.0');
  });

  it('verify checks the certificate from git and passes, printing the chain', async () => {
    const r = await as('producer', ['certify', 'verify', uid]);
    expect(r.stderr, r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    for (const line of [/#1\s+submitted\s+maria/, /#2\s+checks\s+ohw-registry/, /#3\s+review\s+rev-one/, /#4\s+review\s+rev-two/, /#5\s+certified\s+rev-two/]) {
      expect(r.stdout).toMatch(line);
    }
    expect(r.stdout).toContain(`tag v1.0.0 of ${PKG}`);
    expect(r.stdout).toMatch(/archive of maria\/laser-cut-enclosure@1\.0\.0 matches sha256:/);
    expect(r.stdout).toMatch(/verdict: VALID — certified/);
    const known = JSON.parse(fs.readFileSync(path.join(homes.producer!, '.config/ohw/known-index-heads.json'), 'utf8'));
    expect(known[server.url].head).toBe(git(['rev-parse', 'HEAD']));
    const json = await as('producer', ['certify', 'verify', uid, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, tampered: false, problems: [], state: 'certified' });
  });

  it('after revocation, verify shows it with the reason and exits 4 (sound record, certificate not holding)', async () => {
    let r = await as('maria', ['certify', 'revoke', id, '--reason', 'x']);
    expect(r.code).toBe(1); // owners cannot revoke
    r = await as('admin', ['certify', 'revoke', id], { OHW_TOKEN: ADMIN });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('reason');
    // Lifecycle commands take the certificate UID as well as the certification id.
    r = await as('admin', ['certify', 'revoke', uid, '--reason', 'the enclosure overheats the sensor it was certified for'], { OHW_TOKEN: ADMIN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('is revoked');
    r = await as('producer', ['certify', 'verify', uid]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/#6\s+revoked\s+admin/);
    expect(r.stdout).toContain('record sound, but the certificate does not hold — revoked on');
    expect(r.stdout).toContain('the enclosure overheats the sensor it was certified for');
    expect(r.stdout).not.toContain('TAMPERING');
    const svg = await (await fetch(`${server.url}/api/v1/certificates/${uid}/badge.svg`)).text();
    expect(svg).toContain('REVOKED');
  });

  it('detects a rewritten index history in which a review was edited', async () => {
    const record = `certifications/${id}.jsonl`;
    const commits = git(['log', '--reverse', '--format=%H', '--', record]).split('\n');
    const parent = git(['rev-parse', `${commits[0]}^`]);
    // Edit the first review's comment and re-link the hash chain, so the server's own replay of
    // the record stays clean and it keeps serving: only the git history can tell.
    const lines = git(['show', `HEAD:${record}`]).split('\n').filter(Boolean);
    let prev: string | null = null;
    const edited = lines.map((line) => {
      const e = JSON.parse(line.replace('builds as documented', 'builds as documenter')) as { prev: string | null };
      e.prev = prev;
      const text = JSON.stringify(e);
      prev = lineHash(text);
      return text;
    });
    expect(edited.join('\n')).toContain('builds as documenter');
    const blob = git(['hash-object', '-w', '--stdin'], edited.join('\n') + '\n');
    const indexFile = path.join(root, 'tamper-index');
    const env = { GIT_INDEX_FILE: indexFile };
    git(['read-tree', 'HEAD'], undefined, env);
    git(['update-index', '--cacheinfo', `100644,${blob},${record}`], undefined, env);
    const tree = git(['write-tree'], undefined, env);
    const forged = git(['commit-tree', tree, '-p', parent, '-m', 'history, rewritten'], undefined, {
      GIT_AUTHOR_NAME: 'rev-one', GIT_AUTHOR_EMAIL: 'rev-one@example.org', GIT_COMMITTER_NAME: 'rev-one', GIT_COMMITTER_EMAIL: 'rev-one@example.org',
    });
    const branch = git(['symbolic-ref', 'HEAD']);
    git(['update-ref', branch, forged]);

    // The server keeps serving (its replay sees a well-linked record).
    const served = await fetch(`${server.url}/api/v1/certificates/${uid}`);
    expect(served.status).toBe(200);
    expect(((await served.json()) as { record: { commit: string } }).record.commit).toBe(forged);

    const r = await as('producer', ['certify', 'verify', uid]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('TAMPERING OR INCONSISTENCY FOUND');
    expect(r.stdout).toMatch(/the registry's history was rewritten since \S+: [0-9a-f]{40} is no longer in it/);
    expect(r.stdout).toMatch(/event 1 \(submitted\) by maria was committed by rev-one/);
    expect(r.stdout).toContain('verdict: NOT VERIFIED');

    // A verifier who never saw the old history still sees events committed by the wrong people.
    const fresh = await as('newcomer', ['certify', 'verify', uid]);
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).not.toContain('history was rewritten');
    expect(fresh.stdout).toMatch(/event 5 \(certified\) by rev-two was committed by rev-one/);
    expect(fresh.stdout).toContain('verdict: NOT VERIFIED');
  });

  it('verify of an unknown UID is a user error', async () => {
    const r = await as('producer', ['certify', 'verify', 'OHC-999999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not found');
    expect((await as('producer', ['certify', 'verify', 'bogus'])).code).toBe(2);
  });

  it('`ohw` and `ohw certify` alone print the help and exit 2; --json errors are JSON on stdout', async () => {
    for (const args of [[], ['certify']]) {
      const r = await as('producer', args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Usage: ohw${args.length ? ' certify' : ''}`);
    }
    const r = await as('producer', ['certify', 'show', 'OHC-999999', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('OHC-999999') } });
    expect(r.stderr).toBe('');
  });
});
