import { describe, expect, it } from 'vitest';
import { diffDesigns, summarizeDiff, type DiffInput } from '../../../server/domain/design-diff.ts';
import type { BomLine, Manifest } from '../../../schema/types.ts';

const line = (id: string, quantity: number, extra: Partial<BomLine> = {}): BomLine => ({ id, name: id, type: 'cots', quantity, ...extra });
const manifest = (name: string, bom: BomLine[], extra: Partial<Manifest> = {}): Manifest => ({
  manifestVersion: '1', name, version: '1.0.0', title: 'Lamp', summary: 'A lamp', function: 'Light',
  documentationLanguage: 'en', licensor: [{ name: 'a' }], license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
  docs: { readme: 'README.md', sources: ['src/lamp.scad'] }, bom, production: { processes: ['ASM'] }, ...extra,
});
const side = (pkg: string, version: string, m: Manifest, files: Record<string, string>): DiffInput =>
  ({ package: pkg, version, manifest: m, files: new Map(Object.entries(files)) });

describe('diffDesigns', () => {
  it('keys BOM lines by id: added, removed, quantity (and unit) changed, other fields changed', () => {
    const a = manifest('bob/lamp', [line('body', 1), line('screw', 4), line('wire', 2, { unit: 'm' }), line('led', 1, { mpn: 'X1' })]);
    const b = manifest('alice/lamp', [line('body', 3), line('wire', 2000, { unit: 'mm' }), line('led', 1, { mpn: 'X2' }), line('lens', 1)]);
    const d = diffDesigns(side('bob/lamp', '1.2.0', a, {}), side('alice/lamp', '1.3.0', b, {}));
    expect(d.bom.added).toEqual([{ id: 'lens', name: 'lens', quantity: 1, unit: 'pcs' }]);
    expect(d.bom.removed.map((l) => l.id)).toEqual(['screw']);
    expect(d.bom.quantityChanged).toEqual([
      { id: 'body', name: 'body', from: 1, to: 3, fromUnit: 'pcs', toUnit: 'pcs' },
      { id: 'wire', name: 'wire', from: 2, to: 2000, fromUnit: 'm', toUnit: 'mm' },
    ]);
    expect(d.bom.changed).toEqual([{ id: 'led', name: 'led', fields: ['mpn'] }]);
  });

  it('reports manifest fields as dotted paths, ignoring identity (name, version, forkOf) and the BOM', () => {
    const a = manifest('bob/lamp', [line('body', 1)], { forkOf: { package: 'alice/lamp', version: '1.0.0' } });
    const b = manifest('alice/lamp', [line('body', 2)], { summary: 'A brighter lamp', license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0', software: 'MIT' }, keywords: ['light'] });
    const d = diffDesigns(side('bob/lamp', '1.0.0', a, {}), side('alice/lamp', '1.1.0', b, {}));
    expect(d.manifest).toEqual([
      { field: 'keywords', from: null, to: ['light'] },
      { field: 'license.software', from: null, to: 'MIT' },
      { field: 'summary', from: 'A lamp', to: 'A brighter lamp' },
    ]);
  });

  it('compares files by sha256', () => {
    const m = manifest('a/b', [line('body', 1)]);
    const d = diffDesigns(side('a/b', '1.0.0', m, { 'README.md': '1', 'a.scad': '2', 'old.md': '3' }), side('a/b', '1.1.0', m, { 'README.md': '1', 'a.scad': '9', 'new.md': '4' }));
    expect(d.files).toEqual({ added: ['new.md'], removed: ['old.md'], changed: ['a.scad'] });
    expect(d.identical).toBe(false);
    expect(summarizeDiff(d)).toBe('manifest: 0 field(s) · BOM: +0 −0, 0 quantity change(s), 0 other line change(s) · files: +1 −1 ~1');
  });

  it('identical sides are identical', () => {
    const m = manifest('a/b', [line('body', 1)]);
    const d = diffDesigns(side('a/b', '1.0.0', m, { x: '1' }), side('a/b', '1.0.0', structuredClone(m), { x: '1' }));
    expect(d.identical).toBe(true);
    expect(summarizeDiff(d)).toBe('no differences');
  });
});
