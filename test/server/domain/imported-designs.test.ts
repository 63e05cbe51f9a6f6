/**
 * An imported design whose source lacked required sections: search and the certification checks
 * show them as missing (never as passed), and a delisted design leaves search.
 */
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { designSource } from '../../../schema/design-source.ts';
import { importRecord, TABLES } from '../../../schema/interop/index.ts';
import { validateDesign } from '../../../schema/manifest/index.ts';
import type { Manifest } from '../../../schema/types.ts';
import { runChecks } from '../../../server/domain/certification-checks.ts';
import { buildSearchDocument } from '../../../server/domain/search-document.ts';

const record = {
  oshwaUid: 'NL000123', responsibleParty: 'Jan Jansen', projectName: 'Tide gauge', projectDescription: '',
  hardwareLicense: 'CERN-OHL-P-2.0', documentationLicense: 'CC-BY-4.0', primaryType: 'Environmental',
};

function imported() {
  const o = importRecord(TABLES.oshwa, record, { owner: 'imported', today: '2026-01-15', fallbackId: 'x', sourceBytes: new Uint8Array([1]), sourceExt: 'json' });
  if (o.status !== 'accepted') throw new Error(JSON.stringify(o.issues));
  const v = validateDesign(designSource(o.design.files));
  expect(v.ok).toBe(true);
  const manifest = parseYaml(new TextDecoder().decode(o.design.files[0]!.data)) as Manifest;
  return { manifest, issues: v.issues, files: o.design.files.map((f) => f.path) };
}

describe('not-provided sections', () => {
  it('are written empty and named, with the reason, in the manifest', () => {
    const { manifest } = imported();
    expect(manifest.function).toBe('');
    expect(manifest.summary).toBe('Tide gauge');
    expect(manifest.notProvided).toEqual({
      bom: 'OSHWA certification records carry no bill of materials',
      production: 'OSHWA certification records carry no production data (processes, tools)',
      'docs.sources': 'OSHWA certification records link to the documentation (provenance.repository) but carry no design files',
      documentationLanguage: 'OSHWA certification records do not state the documentation language',
      function: 'the OSHWA record has an empty projectDescription',
    });
  });

  it('search documents list them and say where the design came from', () => {
    const doc = buildSearchDocument({ manifest: imported().manifest, versions: ['0.1.0'], updatedAt: '2026-01-15T00:00:00Z' });
    expect(doc.notProvided).toEqual(['bom', 'docs.sources', 'documentationLanguage', 'function', 'production']);
    expect(doc.importedFrom).toBe('oshwa');
    expect(doc.partNames).toEqual([]);
    expect(doc.yanked).toBeUndefined();
  });

  it('a delisted design is dropped from search like a yanked one', () => {
    const doc = buildSearchDocument({ manifest: imported().manifest, versions: ['0.1.0'], updatedAt: '2026-01-15T00:00:00Z', delisted: true });
    expect(doc.yanked).toBe(true);
  });

  it('certification checks fail on them with the reason, never pass an empty BOM', () => {
    const { results, passed } = runChecks({ ...imported(), dependencies: [] });
    expect(passed).toBe(false);
    const by = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(by['bom-complete']).toMatchObject({ result: 'fail', evidence: 'not provided: bom (OSHWA certification records carry no bill of materials)' });
    expect(by['editable-sources']!.result).toBe('fail');
    expect(by['editable-sources']!.evidence).toContain('not provided: docs.sources');
    expect(by['manifest-valid']!.result).toBe('fail');
    expect(by['manifest-valid']!.evidence).toContain('function (the OSHWA record has an empty projectDescription)');
  });
});
