/**
 * Every record of the shared corpus through the mapping core: OSHWA (3,053 records), OKH v1 and
 * OKH-LOSH manifests, Kitspace projects. Of the records whose licences are SPDX or map
 * unambiguously, at least 99 % are accepted; every refusal names its reason and field; every
 * accepted record round-trips (import → export → import gives the same mapped fields) and its
 * OKH-LOSH export is accepted by the OKH-LOSH schema.
 */
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportManifest, getPath, importRecord, roundTripFields, TABLES, type ExportFormat, type ImportOutcome } from '../../../schema/interop/index.ts';
import type { Manifest } from '../../../schema/types.ts';
import { okhLoshErrors } from './okh-losh-validator.ts';
import {
  HAVE_CORPUS, SKIP_REASON, TODAY, importOne, kitspaceRecords, licencesReadable, manifestOf, okhRecords, oshwaRecords, type CorpusRecord,
} from './corpus-helpers.ts';

if (!HAVE_CORPUS) console.warn(SKIP_REASON);
const suite = HAVE_CORPUS ? describe : describe.skip;

interface Tally { processed: number; accepted: number; readable: number; byReason: Record<string, number> }

function tally(outcomes: ImportOutcome[]): Tally {
  const t: Tally = { processed: outcomes.length, accepted: 0, readable: 0, byReason: {} };
  for (const o of outcomes) {
    if (o.status === 'accepted') t.accepted++;
    else t.byReason[o.issues[0]!.code] = (t.byReason[o.issues[0]!.code] ?? 0) + 1;
    if (licencesReadable(o)) t.readable++;
  }
  return t;
}

const decode = (s: string, ext: string): unknown => (ext === 'toml' ? parseToml(s) : ext === 'json' ? JSON.parse(s) : parseYaml(s));

/** import → export(format) → import: the fields the format carries both ways are equal. */
function roundTrip(m: Manifest, format: ExportFormat): { first: Record<string, unknown>; second: Record<string, unknown> } {
  const out = exportManifest(m, format, { designUrl: 'https://registry.example/designs/imported/x' });
  const again = importRecord(TABLES[format], decode(out.text, out.ext), { owner: 'imported', today: TODAY, fallbackId: 'round-trip', sourceBytes: new TextEncoder().encode(out.text), sourceExt: out.ext });
  expect(again.status, JSON.stringify(again.status === 'refused' ? again.issues : '')).toBe('accepted');
  const m2 = manifestOf(again);
  const fields = roundTripFields(TABLES[format]).filter((f) => f !== 'provenance.repository' || m.provenance?.repository);
  const pick = (x: Manifest) => Object.fromEntries(fields.map((f) => [f, getPath(x, f)]));
  return { first: pick(m), second: pick(m2) };
}

function checkRefusals(records: CorpusRecord[], outcomes: ImportOutcome[]): void {
  outcomes.forEach((o, i) => {
    if (o.status === 'accepted') return;
    expect(o.issues.length, records[i]!.source).toBeGreaterThan(0);
    for (const issue of o.issues) {
      expect(issue.code).toMatch(/^[a-z][a-z0-9-]+$/);
      expect(issue.message.length).toBeGreaterThan(10);
    }
  });
}

suite('OSHWA directory (corpus oshwa/projects.json)', () => {
  const records = HAVE_CORPUS ? oshwaRecords() : [];
  const outcomes = records.map((r) => importOne(r)!);
  const t = tally(outcomes);

  it('processes every record; ≥ 99 % of those with readable licences are accepted; refusals say why', () => {
    expect(t.processed).toBe(3053);
    expect(t.accepted / t.readable).toBeGreaterThanOrEqual(0.99);
    checkRefusals(records, outcomes);
    // The bare form values are refused by name: "CERN" and "GPL" name no version.
    const cern = outcomes.find((o) => o.status === 'refused' && o.issues.some((i) => i.message.includes('"CERN" names no single licence')));
    expect(cern).toBeDefined();
    expect(t.byReason['license-ambiguous']).toBeGreaterThan(0);
    expect(t.byReason['license-not-a-license']).toBeGreaterThan(0);
  });

  it('maps identity, licences, licensor, categories, keywords and the certification, and says what is not provided', () => {
    const i = records.findIndex((r) => (r.record as { oshwaUid: string }).oshwaUid === 'IT000010');
    const m = manifestOf(outcomes[i]!);
    expect(m).toMatchObject({
      name: 'imported/0x33-board-it000010', title: '0x33.board', version: '0.1.0',
      license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-4.0', software: 'MIT' },
      licensor: [{ name: 'Sol Bekic' }], category: { primary: 'Electronics' }, bom: [], documentationLanguage: [],
      attestations: [{ scheme: 'oshwa', id: 'IT000010', url: 'https://certification.oshwa.org/it000010.html' }],
      provenance: { imported: true, sourceFormat: 'oshwa', sourceId: 'IT000010', sourceVersion: 'r3', importedAt: TODAY, sourceUrl: 'https://certification.oshwa.org/it000010.html' },
    });
    expect(Object.keys(m.notProvided!).sort()).toEqual(['bom', 'docs.sources', 'documentationLanguage', 'production']);
    expect(m.provenance!.unmapped).toEqual(expect.arrayContaining(['certificationDate', 'country']));
  });

  it('keeps the licence strings as OSHWA wrote them, and maps the form values that name one licence', () => {
    const tapr = outcomes.find((o, i) => o.status === 'accepted' && (records[i]!.record as { hardwareLicense: string }).hardwareLicense === 'TAPR');
    const m = manifestOf(tapr!);
    expect(m.license.hardware).toBe('TAPR-OHL-1.0');
    expect(m.provenance!.originalLicenses!.hardware).toBe('TAPR');
  });

  it('round-trips every accepted record through the OSHWA form, OKH-LOSH (schema-valid) and OKH v1', () => {
    let n = 0;
    for (const o of outcomes) {
      if (o.status !== 'accepted') continue;
      const m = manifestOf(o);
      for (const format of ['oshwa', 'okh-losh', 'okh-v1'] as const) {
        const { first, second } = roundTrip(m, format);
        expect(second, `${m.name} via ${format}`).toEqual(first);
      }
      const losh = exportManifest(m, 'okh-losh', { designUrl: `https://registry.example/designs/${m.name}` });
      // A record without a description has no OKH-LOSH form: export names what is missing instead.
      if (m.notProvided?.function) expect(losh.missing).toEqual(['function']);
      else expect(okhLoshErrors(parseToml(losh.text)), m.name).toEqual([]);
      n++;
    }
    expect(n).toBe(tally(outcomes).accepted);
  }, 120_000);
});

suite('OKH manifests (corpus okh/v1, okh/losh, okh-search)', () => {
  const records = HAVE_CORPUS ? okhRecords() : [];
  const outcomes = records.map((r) => importOne(r) ?? ({ status: 'refused', id: r.id, issues: [{ path: '', code: r.parseError ? 'parse-error' : 'not-a-record', message: r.parseError ?? 'not an OKH/OSHWA/Kitspace record' }] } as ImportOutcome));
  const t = tally(outcomes);

  it('processes every manifest; ≥ 99 % of those with readable licences are accepted', () => {
    expect(t.processed).toBe(71 + 17);
    expect(t.accepted / t.readable).toBeGreaterThanOrEqual(0.99);
    checkRefusals(records, outcomes);
    // Files kept in the corpus as negative cases do not parse (YAML `@` token, TOML duplicate key).
    for (const f of ['jbon__Ball-Machine__okh-ballSortingMachine.yml', 'case06__ZACplus__okh.toml']) {
      expect(records.find((r) => r.id === f)?.parseError, f).toBeDefined();
    }
  });

  it('maps an OKH-LOSH manifest: readiness levels, process codes, repository', () => {
    const i = records.findIndex((r) => r.id === 'PlanktoScope__PlanktoScope__okh.toml');
    const m = manifestOf(outcomes[i]!);
    expect(m).toMatchObject({
      title: 'PlanktoScope', version: '2.5.0', license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CERN-OHL-S-2.0' },
      maturity: { technology: 'OTRL-5', documentation: 'ODRL-3' }, production: { processes: ['CNC', 'PCB', 'MEC'] },
      provenance: { sourceFormat: 'okh-losh', repository: 'https://github.com/PlanktoScope/PlanktoScope', sourceVersion: '2.5' },
    });
    expect(m.licensor.map((l) => l.name)).toContain('Romain Bazile');
    expect(m.provenance!.unmapped!.join(' ')).toContain('STD: not a process code');
  });

  it('maps an OKH v1 manifest following the LOSH rules and never republishes e-mail addresses', () => {
    const i = records.findIndex((r) => r.id === '7B-Things__braille-signage-generator__okh.yml');
    const m = manifestOf(outcomes[i]!);
    expect(m).toMatchObject({
      title: 'Braille Signage Generator', licensor: [{ name: 'Jeremy Wright' }], documentationLanguage: 'en-US',
      maturity: { technology: 'OTRL-3' }, license: { hardware: 'CERN-OHL-P-2.0', documentation: 'CC-BY-SA-4.0', software: 'Apache-2.0' },
    });
    expect(m.function).toContain('Individuals who want to create 3D printed braille signage');
    expect(JSON.stringify(m)).not.toContain('@7bindustries.com');
  });

  it('round-trips every accepted manifest through its own format and OKH-LOSH (schema-valid)', () => {
    for (const [i, o] of outcomes.entries()) {
      if (o.status !== 'accepted') continue;
      const m = manifestOf(o);
      const own = records[i]!.format === 'okh-v1' ? 'okh-v1' : 'okh-losh';
      for (const format of new Set([own, 'okh-losh'] as const)) {
        const { first, second } = roundTrip(m, format);
        expect(second, `${records[i]!.id} via ${format}`).toEqual(first);
      }
      const losh = exportManifest(m, 'okh-losh', { designUrl: 'https://registry.example/designs/x/y' });
      if (losh.missing.length === 0) expect(okhLoshErrors(parseToml(losh.text)), records[i]!.id).toEqual([]);
    }
  });
});

suite('Kitspace projects (corpus kitspace/)', () => {
  it('refuses every project of the corpus for its missing licence, naming where a licence is read from', () => {
    const outcomes = kitspaceRecords().map((r) => importOne(r) ?? ({ status: 'refused', id: r.id, issues: [{ path: '', code: 'parse-error', message: r.parseError! }] } as ImportOutcome));
    expect(outcomes.length).toBeGreaterThanOrEqual(54);
    const licence = outcomes.filter((o) => o.status === 'refused' && o.issues.some((i) => i.path === 'license' && i.message.includes('LICENSE or COPYING file')));
    expect(licence.length).toBe(outcomes.filter((o) => o.status === 'refused' && o.issues[0]!.code !== 'parse-error').length);
  });

  it('with a licence beside them, accepts ≥ 99 % and turns their BOM files into BOM lines with designators, MPNs and supplier numbers', () => {
    const records = kitspaceRecords({ license: 'CERN-OHL-S-2.0', licensor: 'The project authors' });
    const outcomes = records.map((r) => importOne(r)!).filter(Boolean);
    const t = tally(outcomes);
    expect(t.accepted / t.readable).toBeGreaterThanOrEqual(0.99);
    const i = records.findIndex((r) => r.id === 'Jana-Marie__OtterPill');
    const m = manifestOf(outcomes[i]!);
    expect(m.bom.length).toBeGreaterThan(5);
    const withSupplier = m.bom.find((l) => l.supplierParts?.length);
    expect(withSupplier).toBeDefined();
    expect(m.bom.every((l) => l.quantity > 0 && l.type === 'cots')).toBe(true);
    expect(m.bom[0]).toMatchObject({ name: '10u 25V', quantity: 3, references: ['C1', 'C4', 'C11'], supplierParts: [{ supplier: 'LCSC', sku: 'C15850' }] });
    expect(m.production.processes).toEqual(['PCB']);
    expect(m.notProvided?.bom).toBeUndefined();
    // Kitspace is not an export format: its projects round-trip through OKH-LOSH (schema-valid).
    for (const o of outcomes) {
      if (o.status !== 'accepted') continue;
      const km = manifestOf(o);
      const { first, second } = roundTrip(km, 'okh-losh');
      expect(second, km.name).toEqual(first);
      const losh = exportManifest(km, 'okh-losh', { designUrl: 'https://registry.example/designs/x/y' });
      if (km.notProvided?.function) expect(losh.missing).toEqual(['function']);
      else expect(okhLoshErrors(parseToml(losh.text)), km.name).toEqual([]);
    }
    const all = outcomes.flatMap((o) => (o.status === 'accepted' ? manifestOf(o).bom : []));
    expect(all.length).toBeGreaterThan(1000);
    expect(all.filter((l) => l.mpn && l.manufacturer).length).toBeGreaterThan(100);
  });
});
