/**
 * `ohw import` and `ohw export` as a user runs them: the real CLI as a child process, real files.
 * The corpus is read from ../shared/corpus (skipped with a message when it is absent).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { designSource } from '../../../schema/design-source.ts';
import { validateDesign } from '../../../schema/manifest/index.ts';
import { runCli } from '../../helpers/processes.ts';
import { REPO_ROOT } from '../../helpers/registry.ts';
import { CORPUS, HAVE_CORPUS, SKIP_REASON } from '../../schema/interop/corpus-helpers.ts';
import { okhLoshErrors } from '../../schema/interop/okh-losh-validator.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-import-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const OSHWA = path.join(CORPUS, 'oshwa/projects.json');
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: work, env: { HOME: work, XDG_CONFIG_HOME: path.join(work, '.config'), ...env } });

interface Report {
  processed: number; accepted: number; refused: number; byReason: Record<string, number>;
  records: Array<{ source: string; id: string; status: string; folder?: string; written?: string; issues?: Array<{ path: string; code: string; message: string }> }>;
}
const readReport = (f: string) => JSON.parse(fs.readFileSync(path.join(work, f), 'utf8')) as Report;

/** Design folders in `dir` (the staging folder of an interrupted run is hidden and not one). */
const folders = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => !n.startsWith('.')) : []);

function readFolder(dir: string) {
  const files: Array<{ path: string; data: Uint8Array }> = [];
  const walk = (d: string, rel: string) => {
    for (const n of fs.readdirSync(d)) {
      const p = path.join(d, n);
      if (fs.statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
      else files.push({ path: `${rel}${n}`, data: fs.readFileSync(p) });
    }
  };
  walk(dir, '');
  return files;
}

const suite = HAVE_CORPUS ? describe : describe.skip;
if (!HAVE_CORPUS) console.warn(SKIP_REASON);

suite('importing the OSHWA directory', () => {
  it('processes every record, writes one valid folder per accepted record, and reports refusals with their reason', async () => {
    const r = await cli(['import', OSHWA, '--report', 'r.json', '-o', 'oshwa']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = readReport('r.json');
    expect(report.processed).toBe(3053);
    expect(report.accepted + report.refused).toBe(3053);
    expect(Object.values(report.byReason).reduce((a, b) => a + b, 0)).toBe(report.refused);
    expect(r.stdout).toContain(`processed 3053: ${report.accepted} accepted, ${report.refused} refused`);
    expect(folders(path.join(work, 'oshwa'))).toHaveLength(report.accepted);
    const refused = report.records.find((x) => x.id === 'SE000004')!;
    expect(refused).toMatchObject({ status: 'refused', issues: [{ path: 'hardwareLicense', code: 'license-ambiguous' }, { path: 'documentationLicense', code: 'license-ambiguous' }] });
    const accepted = report.records.find((x) => x.id === 'IT000010')!;
    expect(accepted).toMatchObject({ status: 'accepted', written: 'written' });
    expect(fs.readdirSync(path.join(work, accepted.folder!)).sort()).toEqual(['README.md', 'design.yaml', 'import']);
    expect(JSON.parse(fs.readFileSync(path.join(work, accepted.folder!, 'import/source.json'), 'utf8')).oshwaUid).toBe('IT000010');

    const v = await cli(['validate', accepted.folder!]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('is valid');
  }, 180_000);

  it('is idempotent: a second run finds the same folders unchanged and duplicates nothing', async () => {
    const before = folders(path.join(work, 'oshwa'));
    const r = await cli(['import', OSHWA, '--report', 'r2.json', '-o', 'oshwa']);
    expect(r.code).toBe(0);
    const report = readReport('r2.json');
    expect(folders(path.join(work, 'oshwa'))).toEqual(before);
    expect(report.records.filter((x) => x.status === 'accepted').every((x) => x.written === 'unchanged')).toBe(true);
  }, 180_000);

  it('exports an imported folder as OKH-LOSH that the OKH-LOSH schema accepts', async () => {
    const r = await cli(['export', 'oshwa/imported--0x33-board-it000010', '--format', 'okh-losh']);
    expect(r.code).toBe(0);
    const doc = parseToml(r.stdout);
    expect(okhLoshErrors(doc)).toEqual([]);
    expect(doc).toMatchObject({ okhv: 'OKH-LOSHv1.0', name: '0x33.board', license: 'CERN-OHL-S-2.0', licensor: ['Sol Bekic'], repo: 'https://s-ol.nu/0x33.board' });
    const oshwa = await cli(['export', 'oshwa/imported--0x33-board-it000010', '--format', 'oshwa', '-o', 'app.json']);
    expect(oshwa.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(work, 'app.json'), 'utf8'))).toMatchObject({ oshwaUid: 'IT000010', hardwareLicense: 'CERN-OHL-S-2.0', softwareLicense: 'MIT' });
  });

  it('an interrupted run leaves complete folders only, and the next run finishes the job', async () => {
    const out = path.join(work, 'interrupted');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/ohw.mjs'), 'import', OSHWA, '-o', out], { cwd: work, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => { if (folders(out).length >= 20) { clearInterval(poll); resolve(); } }, 20);
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const partial = folders(out);
    expect(partial.length).toBeGreaterThanOrEqual(20);
    for (const f of partial) {
      const result = validateDesign(designSource(readFolder(path.join(out, f))));
      expect(result.ok, `${f}: ${JSON.stringify(result.issues.slice(0, 2))}`).toBe(true);
    }
    const again = await cli(['import', OSHWA, '-o', out, '--json']);
    expect(again.code).toBe(0);
    expect(folders(out)).toEqual(folders(path.join(work, 'oshwa')));
    expect(fs.existsSync(path.join(out, '.ohw-import-tmp'))).toBe(false);
  }, 180_000);
});

suite('importing a Kitspace project folder', () => {
  it('reads its BOM and the LICENSE beside kitspace.yaml; a changed record replaces its folder', async () => {
    const project = path.join(work, 'kitspace', 'Jana-Marie__OtterPill');
    fs.cpSync(path.join(CORPUS, 'kitspace/Jana-Marie__OtterPill'), project, { recursive: true });
    fs.writeFileSync(path.join(project, 'LICENSE'), 'CERN Open Hardware Licence Version 2 - Strongly Reciprocal\n\nCopyright (c) 2020 Jana Marie Hemsing\n');
    let r = await cli(['import', 'kitspace', '--report', 'ks.json', '-o', 'ks']);
    expect(r.code).toBe(0);
    const rec = readReport('ks.json').records[0]!;
    expect(rec).toMatchObject({ id: 'Jana-Marie__OtterPill', status: 'accepted', written: 'written' });
    const dir = path.join(work, rec.folder!);
    expect(fs.readdirSync(path.join(dir, 'import')).sort()).toEqual(['LICENSE', 'bom', 'source.yaml']);
    expect(fs.readdirSync(path.join(dir, 'import/bom'))).toEqual(['OtterPill.csv']);
    const yaml = fs.readFileSync(path.join(dir, 'design.yaml'), 'utf8');
    expect(yaml).toContain('hardware: CERN-OHL-S-2.0');
    expect(yaml).toContain('- name: Jana Marie Hemsing');
    expect(yaml).toMatch(/references:\n\s+- C1\n\s+- C4\n\s+- C11/);
    expect((await cli(['validate', rec.folder!])).code).toBe(0);

    fs.appendFileSync(path.join(project, 'kitspace.yaml'), '\nsummary: A USB-C PD trigger board\n');
    r = await cli(['import', 'kitspace', '--report', 'ks2.json', '-o', 'ks']);
    expect(readReport('ks2.json').records[0]).toMatchObject({ status: 'accepted', written: 'replaced' });
    expect(fs.readFileSync(path.join(dir, 'design.yaml'), 'utf8')).toContain('summary: A USB-C PD trigger board');
  });
});

suite('Kitspace projects without a LICENSE file', () => {
  it('are refused unless the person importing states licence and licensor, which the design records', async () => {
    const project = path.join(work, 'kitspace2', 'LibreSolar__mppt-1210-hus');
    fs.cpSync(path.join(CORPUS, 'kitspace/LibreSolar__mppt-1210-hus'), project, { recursive: true });
    let r = await cli(['import', 'kitspace2', '--report', 'ks3.json', '-o', 'ks3']);
    expect(r.code).toBe(1);
    expect(readReport('ks3.json').records[0]!.issues![0]).toMatchObject({ path: 'license', code: 'missing-field' });
    expect(folders(path.join(work, 'ks3'))).toEqual([]);
    r = await cli(['import', 'kitspace2', '--report', 'ks3.json', '-o', 'ks3', '--license', 'CERN-OHL-W-2.0', '--licensor', 'Libre Solar Technologies GmbH']);
    expect(r.code).toBe(0);
    const yaml = fs.readFileSync(path.join(work, 'ks3', folders(path.join(work, 'ks3'))[0]!, 'design.yaml'), 'utf8');
    expect(yaml).toContain('hardware: CERN-OHL-W-2.0');
    expect(yaml).toContain('licenseFrom: importer');
    expect(yaml).toContain('- name: Libre Solar Technologies GmbH');
  });
});

describe('bad input writes nothing and still reports', () => {
  it('never replaces a folder that ohw import did not write', async () => {
    const rec = { oshwaUid: 'XX000009', responsibleParty: 'Ada', projectName: 'Mine', projectDescription: 'Mine.', hardwareLicense: 'MIT', documentationLicense: 'CC0-1.0' };
    fs.writeFileSync(path.join(work, 'mine.json'), JSON.stringify(rec));
    const own = path.join(work, 'own', 'imported--mine-xx000009');
    fs.mkdirSync(own, { recursive: true });
    fs.writeFileSync(path.join(own, 'design.yaml'), 'my own work\n');
    const r = await cli(['import', 'mine.json', '--report', 'own.json', '-o', 'own']);
    expect(r.code).toBe(1);
    expect(readReport('own.json').records[0]).toMatchObject({ status: 'refused', issues: [{ code: 'folder-exists' }] });
    expect(fs.readFileSync(path.join(own, 'design.yaml'), 'utf8')).toBe('my own work\n');
  });

  it('a file that is no record: "not an OKH/OSHWA/Kitspace record" with the reason, exit 1, no folder', async () => {
    fs.writeFileSync(path.join(work, 'shopping.yaml'), 'eggs: 12\nmilk: 1\n');
    const r = await cli(['import', 'shopping.yaml', '--report', 'bad.json', '-o', 'bad']);
    expect(r.code).toBe(1);
    expect(readReport('bad.json').records).toEqual([{ source: 'shopping.yaml', id: 'shopping.yaml', status: 'refused', issues: [{ path: '', code: 'not-a-record', message: 'not an OKH/OSHWA/Kitspace record: no oshwaUid (OSHWA), okhv (OKH-LOSH), title + license (OKH v1) or summary/gerbers/bom (Kitspace) field; it has "eggs", "milk"' }] }]);
    expect(folders(path.join(work, 'bad'))).toEqual([]);
  });

  it('a record with a javascript: link or an ND licence is refused by field; the good record beside it is written', async () => {
    const rec = (uid: string, over: object) => ({ oshwaUid: uid, responsibleParty: 'Ada', projectName: `Board ${uid}`, projectDescription: 'Tests.', hardwareLicense: 'CERN-OHL-S-2.0', documentationLicense: 'CC-BY-4.0', ...over });
    fs.writeFileSync(path.join(work, 'mixed.jsonl'), [
      rec('XX000001', { projectWebsite: 'javascript:alert(1)' }),
      rec('XX000002', { documentationLicense: 'CC BY-ND 4.0' }),
      rec('XX000003', {}),
    ].map((x) => JSON.stringify(x)).join('\n'));
    const r = await cli(['import', 'mixed.jsonl', '--report', 'mixed.json', '-o', 'mixed']);
    expect(r.code).toBe(0);
    const report = readReport('mixed.json');
    expect(report.records.map((x) => [x.id, x.status, x.issues?.[0]?.path, x.issues?.[0]?.code])).toEqual([
      ['XX000001', 'refused', 'projectWebsite', 'url-scheme'],
      ['XX000002', 'refused', 'documentationLicense', 'license-nd'],
      ['XX000003', 'accepted', undefined, undefined],
    ]);
    expect(report.records[1]!.issues![0]!.message).toContain('CC-BY-ND-4.0');
    expect(folders(path.join(work, 'mixed'))).toEqual(['imported--board-xx000003-xx000003']);
  });

  it('a 10 MB string and a 100,000-record file: bounded memory (48 MB heap), every record in the report', async () => {
    const big = path.join(work, 'big.json');
    const w = fs.createWriteStream(big);
    w.write(`[${JSON.stringify({ oshwaUid: 'HUGE', projectName: 'x'.repeat(10 * 1024 * 1024) })}`);
    for (let i = 0; i < 99_999; i++) w.write(`,${JSON.stringify({ n: i, note: 'x'.repeat(300) })}`);
    await new Promise((r) => w.end(']', () => r(undefined)));
    expect(fs.statSync(big).size).toBeGreaterThan(40 * 1024 * 1024);

    const r = await cli(['import', 'big.json', '--report', 'big-report.json', '-o', 'big-out', '--json'], { NODE_OPTIONS: '--max-old-space-size=48' });
    expect(r.stderr).toBe('');
    const report = readReport('big-report.json');
    expect(report.processed).toBe(100_000);
    expect(report.byReason).toEqual({ 'record-too-large': 1, 'not-a-record': 99_999 });
    expect(report.records[0]).toMatchObject({ id: 'big.json#1', status: 'refused', issues: [{ code: 'record-too-large' }] });
    expect(folders(path.join(work, 'big-out'))).toEqual([]);
  }, 180_000);

  it('an unknown --from is a usage error', async () => {
    const r = await cli(['import', 'shopping.yaml', '--from', 'thingiverse']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from must be one of okh-v1, okh-losh, oshwa, kitspace');
  });
});
