/**
 * Records the importer must refuse, each with the reason and the field: not a record, missing
 * required fields, a licence that is not open, a link with another scheme than http(s). A refused
 * record produces no files (the engine returns no design to write).
 */
import { describe, expect, it } from 'vitest';
import { detectFormat, importRecord, TABLES, type ImportOutcome } from '../../../schema/interop/index.ts';

const ctx = { owner: 'imported', today: '2026-01-15', fallbackId: 'test', sourceBytes: new Uint8Array([123, 125]), sourceExt: 'json' };
const oshwa = (over: Record<string, unknown> = {}) => ({
  oshwaUid: 'DE000999', responsibleParty: 'Ada Lovelace', projectName: 'Test board', projectDescription: 'A board that tests things. It has parts.',
  projectVersion: '1.2', hardwareLicense: 'CERN-OHL-S-2.0', documentationLicense: 'CC-BY-SA-4.0', softwareLicense: 'MIT',
  primaryType: 'Electronics', projectWebsite: 'https://example.org/board', ...over,
});

function refusedWith(o: ImportOutcome): Array<{ path: string; code: string; message: string }> {
  expect(o.status).toBe('refused');
  expect('design' in o).toBe(false);
  return o.status === 'refused' ? o.issues : [];
}

describe('refusals', () => {
  it('a record of no known format says so, with the reason', () => {
    const d = detectFormat({ hello: 'world', n: 1 });
    expect(d).toEqual({ reason: 'no oshwaUid (OSHWA), okhv (OKH-LOSH), title + license (OKH v1) or summary/gerbers/bom (Kitspace) field; it has "hello", "n"' });
    expect(refusedWith(importRecord(TABLES.oshwa, [1, 2], ctx))).toEqual([{ path: '', code: 'not-a-record', message: 'not an OKH/OSHWA/Kitspace record: expected a mapping of fields, got a list' }]);
  });

  it('missing required fields are named by their path in the record', () => {
    const issues = refusedWith(importRecord(TABLES.oshwa, oshwa({ projectName: '', hardwareLicense: undefined }), ctx));
    expect(issues).toEqual(expect.arrayContaining([
      { path: 'projectName', code: 'missing-field', message: 'missing required field "projectName" (OSHWA)' },
      { path: 'hardwareLicense', code: 'missing-field', message: 'missing required field "hardwareLicense" (OSHWA)' },
    ]));
    const v1 = refusedWith(importRecord(TABLES['okh-v1'], { title: 'Loom', description: 'Weaves', license: { software: 'MIT' } }, ctx));
    expect(v1.map((i) => i.path)).toContain('license.hardware');
  });

  it('a licence that is not open is refused, naming the licence and why', () => {
    const nc = refusedWith(importRecord(TABLES.oshwa, oshwa({ hardwareLicense: 'CC BY-NC-SA 4.0' }), ctx));
    expect(nc).toEqual([{ path: 'hardwareLicense', code: 'license-nc', message: expect.stringMatching(/^"CC BY-NC-SA 4.0" is CC-BY-NC-SA-4.0: .*restricts commercial use/) }]);
    const nd = refusedWith(importRecord(TABLES['okh-losh'], { okhv: 'OKH-LOSHv1.0', name: 'X', function: 'f', repo: 'https://a.org', license: 'CC-BY-ND-4.0', licensor: 'A' }, ctx));
    expect(nd[0]).toMatchObject({ path: 'license', code: 'license-nd' });
    expect(nd[0]!.message).toContain('CC-BY-ND-4.0');
  });

  it('links with schemes other than http(s) are refused wherever they are in the record', () => {
    const issues = refusedWith(importRecord(TABLES.oshwa, oshwa({ projectWebsite: 'javascript:alert(1)', citations: [{ url: 'ftp://files.example/x', title: 'x' }] }), ctx));
    expect(issues).toEqual(expect.arrayContaining([
      { path: 'projectWebsite', code: 'url-scheme', message: '"javascript:alert(1)" uses the scheme "javascript:"; only http and https links are accepted' },
      { path: 'citations[0].url', code: 'url-scheme', message: '"ftp://files.example/x" uses the scheme "ftp:"; only http and https links are accepted' },
    ]));
  });

  it('an accepted record is one complete design folder with the original kept beside it', () => {
    const o = importRecord(TABLES.oshwa, oshwa(), ctx);
    expect(o.status).toBe('accepted');
    if (o.status !== 'accepted') return;
    expect(o.design.folder).toBe('imported--test-board-de000999');
    expect(o.design.files.map((f) => f.path)).toEqual(['design.yaml', 'README.md', 'import/source.json']);
  });

  it('a too long text is cut to the manifest limit and noted; the full text stays in the README', () => {
    const long = `${'word '.repeat(2000)}end.`;
    const o = importRecord(TABLES.oshwa, oshwa({ projectDescription: long }), ctx);
    expect(o.status).toBe('accepted');
    if (o.status !== 'accepted') return;
    expect(o.design.unmapped.join(' ')).toContain('cut to the 5000-character limit of function');
    expect(new TextDecoder().decode(o.design.files[1]!.data)).toContain('word end.');
  });
});
