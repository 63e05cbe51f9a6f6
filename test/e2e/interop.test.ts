/**
 * Interop end to end: a running registry, the real CLI. `ohw export ose/power-cube --format
 * okh-losh` gives a document the OKH-LOSH schema accepts (and the same as the okh.toml route);
 * `ohw import --publish` publishes accepted records under the caller's account, a re-run skips
 * the versions that exist, and `ohw info` shows the design as imported with its source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { useSeat } from '../helpers/processes.ts';
import { okhLoshErrors } from '../schema/interop/okh-losh-validator.ts';

const seat = useSeat();

describe('export from a running registry', () => {
  it('ohw export ose/power-cube --format okh-losh is valid OKH-LOSH, the same document the okh.toml route serves', async () => {
    const r = await seat.cli(['export', 'ose/power-cube', '--format', 'okh-losh']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = parseToml(r.stdout);
    expect(okhLoshErrors(doc)).toEqual([]);
    expect(doc).toMatchObject({ okhv: 'OKH-LOSHv1.0', repo: `${seat.server.url}/designs/ose/power-cube` });
    const info = await (await fetch(`${seat.server.url}/api/v1/designs/ose/power-cube`)).json() as { latest: string };
    const route = await fetch(`${seat.server.url}/api/v1/designs/ose/power-cube/versions/${info.latest}/okh.toml`);
    expect(route.headers.get('content-type')).toMatch(/^application\/toml/);
    expect(parseToml(await route.text())).toEqual(doc);
  });

  it('writes OKH v1 and the OSHWA application form to a file', async () => {
    let r = await seat.cli(['export', 'ose/power-cube', '--format', 'okh-v1', '-o', 'pc.yml']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(seat.work, 'pc.yml'), 'utf8')).toMatch(/^okh-manifest-version: 1\.0\.0\ntitle: /);
    r = await seat.cli(['export', 'ose/power-cube', '--format', 'oshwa']);
    expect(JSON.parse(r.stdout)).toMatchObject({ hardwareLicense: expect.any(String), documentationLicense: expect.any(String), projectName: expect.any(String) });
    r = await seat.cli(['export', 'ose/power-cube', '--format', 'kicad']);
    expect(r.code).toBe(2);
  });
});

describe('import --publish', () => {
  const records = [
    { oshwaUid: 'FR000901', responsibleParty: 'Maria Dupont', projectName: 'Seed drill', projectVersion: '2', projectDescription: 'A hand seed drill for small plots. It sows in rows.', primaryType: 'Agriculture', hardwareLicense: 'CERN-OHL-W-2.0', documentationLicense: 'CC BY-SA 4.0', softwareLicense: 'No software' },
    { oshwaUid: 'FR000902', responsibleParty: 'Maria Dupont', projectName: 'Unlicensed thing', projectDescription: 'No licence.', hardwareLicense: 'Other', documentationLicense: 'Other' },
  ];

  it('publishes accepted records under the caller, skips them on a re-run, and info shows the import', async () => {
    let r = await seat.cli(['register', '--name', 'maria', '--email', 'maria@example.org', '--password', 'a long enough password']);
    expect(r.code).toBe(0);
    fs.writeFileSync(path.join(seat.work, 'two.json'), JSON.stringify(records));
    r = await seat.cli(['import', 'two.json', '--publish', '--report', 'pub.json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('processed 2: 1 accepted, 1 refused (license-not-a-license 1)');
    expect(r.stdout).toContain('published 1, already there 0');
    const report = JSON.parse(fs.readFileSync(path.join(seat.work, 'pub.json'), 'utf8')) as { records: Array<{ id: string; published?: string }> };
    expect(report.records.find((x) => x.id === 'FR000901')?.published).toBe('published');

    r = await seat.cli(['import', 'two.json', '--publish']);
    expect(r.stdout).toContain('published 0, already there 1');

    r = await seat.cli(['info', 'maria/seed-drill-fr000901']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported: from oshwa record FR000901 (https://certification.oshwa.org/fr000901.html)');
    expect(r.stdout).toContain('licensor Maria Dupont');
    expect(r.stdout).toMatch(/latest:\s+2\.0\.0/);
    r = await seat.cli(['info', 'maria/seed-drill-fr000901@2.0.0']);
    expect(r.stdout).toContain('imported:   from oshwa record FR000901');
    expect(r.stdout).toContain('not provided by the source: bom, production, docs.sources, documentationLanguage');
  });
});
