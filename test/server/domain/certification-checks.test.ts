import { describe, expect, it } from 'vitest';
import { designSource } from '../../../schema/design-source.ts';
import { validateDesign } from '../../../schema/manifest/index.ts';
import type { Manifest } from '../../../schema/types.ts';
import {
  CHECKS, bomComplete, docsPresent, editableSources, licensesOpen, lineage, manifestValid, proprietaryDisclosed, runChecks, subassembliesResolve, type CheckInputs,
} from '../../../server/domain/certification-checks.ts';
import { designFiles } from '../../helpers/registry.ts';

/** The starter design (what `ohw init` writes), validated: a design that passes every check. */
function inputs(edit: (m: Manifest, i: CheckInputs) => void = () => {}): CheckInputs {
  const files = designFiles('alice/widget');
  const v = validateDesign(designSource(files));
  const manifest = structuredClone(v.manifest!);
  const i: CheckInputs = { manifest, issues: v.issues, files: files.map((f) => f.path), dependencies: [] };
  edit(manifest, i);
  return i;
}
type Bom = Manifest['bom'][number];

describe('automatic certification checks', () => {
  it('the starter design passes all of them (docs-present warns: no photos)', () => {
    const { results, passed } = runChecks(inputs());
    expect(passed).toBe(true);
    expect(results.map((r) => `${r.id}:${r.result}`)).toEqual([
      'manifest-valid:pass', 'licenses-open:pass', 'editable-sources:pass', 'bom-complete:pass',
      'subassemblies-resolve:pass', 'proprietary-disclosed:pass', 'docs-present:warn', 'lineage:pass',
    ]);
    expect(CHECKS).toHaveLength(8);
  });

  it('manifest-valid', () => {
    expect(manifestValid(inputs())).toEqual({ id: 'manifest-valid', result: 'pass', evidence: 'design.yaml validates against the manifest schema (0 warning(s))' });
    const bad = manifestValid(inputs((_m, i) => {
      i.issues = [{ file: 'design.yaml', path: 'license.hardware', line: 3, column: 1, code: 'spdx-unknown', message: 'unknown SPDX id "X"', severity: 'error' }];
    }));
    expect(bad).toEqual({ id: 'manifest-valid', result: 'fail', evidence: '1 validation error(s): license.hardware: unknown SPDX id "X"' });
  });

  it('licenses-open: pass, warn for a LicenseRef, fail for a closed licence or no software licence', () => {
    expect(licensesOpen(inputs())).toEqual({ id: 'licenses-open', result: 'pass', evidence: 'hardware CERN-OHL-S-2.0, documentation CC-BY-SA-4.0, software NONE' });
    const nc = licensesOpen(inputs((m) => { m.license.documentation = 'CC-BY-NC-4.0'; }));
    expect(nc.result).toBe('fail');
    expect(nc.evidence).toBe('documentation licence CC-BY-NC-4.0 is not OSHWA-compatible');
    const noSoftware = licensesOpen(inputs((m) => { delete (m.license as { software?: string }).software; }));
    expect(noSoftware).toEqual({ id: 'licenses-open', result: 'fail', evidence: 'no software licence: declare one, or NONE when there is no software' });
    const ref = licensesOpen(inputs((m) => { m.license.software = 'LicenseRef-Acme-Firmware'; }));
    expect(ref.result).toBe('warn');
    expect(ref.evidence).toMatch(/^open licences, flagged for the reviewer: .*LicenseRef-Acme-Firmware/);
  });

  it('editable-sources: pass, warn when exports are listed too, fail for exports only, missing or none', () => {
    expect(editableSources(inputs())).toEqual({ id: 'editable-sources', result: 'pass', evidence: 'native sources: src/widget.scad' });
    const mixed = editableSources(inputs((m, i) => { m.docs.sources = ['src/widget.scad', 'out/widget.stl']; i.files.push('out/widget.stl'); }));
    expect(mixed).toEqual({ id: 'editable-sources', result: 'warn', evidence: 'native sources src/widget.scad; also listed as sources but exports: out/widget.stl' });
    const stl = editableSources(inputs((m, i) => { m.docs.sources = ['out/widget.stl', 'out/drawing.pdf']; i.files.push('out/widget.stl', 'out/drawing.pdf'); }));
    expect(stl).toEqual({ id: 'editable-sources', result: 'fail', evidence: 'no native editable source: out/widget.stl, out/drawing.pdf are exports (PDF/STL/Gerber/STEP…), not the preferred form for modification' });
    const odd = editableSources(inputs((m, i) => { m.docs.sources = ['src/widget.xyz']; i.files.push('src/widget.xyz'); }));
    expect(odd.evidence).toBe('no native editable source: src/widget.xyz are in unrecognised formats');
    const missing = editableSources(inputs((m) => { m.docs.sources = ['src/gone.scad']; }));
    expect(missing).toEqual({ id: 'editable-sources', result: 'fail', evidence: 'listed sources missing from the package: src/gone.scad' });
    const none = editableSources(inputs((m) => { m.docs.sources = []; }));
    expect(none).toEqual({ id: 'editable-sources', result: 'fail', evidence: 'docs.sources lists no source files' });
  });

  it('bom-complete: pass with a count; fail for any line without an MPN, offer, part or sub-assembly, or without a quantity', () => {
    expect(bomComplete(inputs())).toEqual({ id: 'bom-complete', result: 'pass', evidence: '1 BOM line(s), each with a quantity and an MPN, offer, part or sub-assembly' });
    const nut: Bom = { id: 'nut-m3', name: 'Hex nut M3, ISO 4032', type: 'cots', quantity: 4 };
    const glue: Bom = { id: 'wood-glue', name: 'PVA wood glue', type: 'consumable', quantity: 1 };
    // Bought stock described only by its name is not sourced: strict fail, no reviewer warning.
    const described = bomComplete(inputs((m) => { m.bom.push(nut, glue); }));
    expect(described).toEqual({ id: 'bom-complete', result: 'fail', evidence: 'BOM lines without an MPN, an offer, a part or a sub-assembly: nut-m3, wood-glue' });
    const pcb = bomComplete(inputs((m) => { m.bom.push({ id: 'board', name: 'Controller board', type: 'pcb', quantity: 1 }); }));
    expect(pcb).toEqual({ id: 'bom-complete', result: 'fail', evidence: 'BOM lines without an MPN, an offer, a part or a sub-assembly: board' });
    const zero = bomComplete(inputs((m) => { m.bom.push({ ...nut, mpn: 'BN 109 M3', quantity: 0 }); }));
    expect(zero).toEqual({ id: 'bom-complete', result: 'fail', evidence: 'BOM lines without a positive quantity: nut-m3' });
    const both = bomComplete(inputs((m) => { m.bom.push({ ...nut, quantity: 0 }, glue); }));
    expect(both).toEqual({
      id: 'bom-complete', result: 'fail',
      evidence: 'BOM lines without a positive quantity: nut-m3; BOM lines without an MPN, an offer, a part or a sub-assembly: nut-m3, wood-glue',
    });
    // Each of the four ways to source a line is enough on its own.
    const offer = { supplier: 'Würth', sku: '0317 3', url: 'https://eshop.wurth.de/', region: 'DE', currency: 'EUR', priceBreaks: [{ qty: 100, price: 0.02 }], moq: 100, leadTimeDays: 2 };
    const sourced = bomComplete(inputs((m) => {
      m.bom.push(
        { ...nut, manufacturer: 'Bossard', mpn: 'BN 109 M3' },
        { ...glue, offers: [offer] },
        { id: 'bracket', name: 'Bracket', type: 'printed', quantity: 2, part: 'bracket' },
        { id: 'motor', name: 'Motor module', type: 'subassembly', quantity: 1, subassembly: { package: 'bob/motor', version: '^1.2.0' } },
      );
    }));
    expect(sourced).toEqual({ id: 'bom-complete', result: 'pass', evidence: '5 BOM line(s), each with a quantity and an MPN, offer, part or sub-assembly' });
  });

  it('subassemblies-resolve: none, resolved, unpublished or yanked', () => {
    expect(subassembliesResolve(inputs())).toEqual({ id: 'subassemblies-resolve', result: 'pass', evidence: 'no sub-assemblies' });
    const ok = subassembliesResolve(inputs((_m, i) => { i.dependencies = [{ package: 'bob/motor', version: '1.2.0', exists: true, yanked: false }]; }));
    expect(ok).toEqual({ id: 'subassemblies-resolve', result: 'pass', evidence: 'resolved: bob/motor@1.2.0' });
    const bad = subassembliesResolve(inputs((_m, i) => {
      i.dependencies = [{ package: 'bob/motor', version: '1.2.0', exists: true, yanked: true }, { package: 'bob/gone', version: '0.1.0', exists: false, yanked: false }];
    }));
    expect(bad).toEqual({ id: 'subassemblies-resolve', result: 'fail', evidence: 'bob/motor@1.2.0 is yanked; bob/gone@0.1.0 is not published' });
  });

  it('proprietary-disclosed: none, disclosed, undisclosed', () => {
    expect(proprietaryDisclosed(inputs())).toEqual({ id: 'proprietary-disclosed', result: 'pass', evidence: 'no proprietary components declared' });
    const ok = proprietaryDisclosed(inputs((m) => { m.proprietaryComponents = [{ bomRef: 'body', reason: 'vendor part', datasheet: 'https://example.org/ds.pdf' }]; }));
    expect(ok).toEqual({ id: 'proprietary-disclosed', result: 'pass', evidence: '1 proprietary component(s) disclosed with datasheets: body' });
    const bad = proprietaryDisclosed(inputs((m) => {
      m.proprietaryComponents = [{ bomRef: 'body', reason: 'r' } as never, { bomRef: 'ghost', reason: 'r', datasheet: 'https://example.org/x.pdf' }];
    }));
    expect(bad).toEqual({ id: 'proprietary-disclosed', result: 'fail', evidence: 'proprietary components not properly disclosed: body (no datasheet), ghost (no such BOM line)' });
  });

  it('docs-present: pass with photos, warn without, fail without readme or assembly', () => {
    expect(docsPresent(inputs())).toEqual({ id: 'docs-present', result: 'warn', evidence: 'readme and assembly instructions present (docs/assembly.md); no photos (docs.photos)' });
    const photos = docsPresent(inputs((m) => { m.docs.photos = ['photos/built.jpg']; }));
    expect(photos).toEqual({ id: 'docs-present', result: 'pass', evidence: 'readme, assembly instructions (docs/assembly.md) and 1 photo(s)' });
    expect(docsPresent(inputs((_m, i) => { i.files = i.files.filter((f) => f !== 'README.md'); }))).toEqual({ id: 'docs-present', result: 'fail', evidence: 'readme README.md is missing' });
    expect(docsPresent(inputs((m) => { m.docs.assembly = []; }))).toEqual({ id: 'docs-present', result: 'fail', evidence: 'no assembly instructions (docs.assembly)' });
    expect(docsPresent(inputs((m) => { m.docs.assembly = ['docs/gone.md']; }))).toEqual({ id: 'docs-present', result: 'fail', evidence: 'assembly instructions missing: docs/gone.md' });
  });

  it('lineage: not a fork, derived works, forks credited or not, upstream forbidding derivatives', () => {
    expect(lineage(inputs())).toEqual({ id: 'lineage', result: 'pass', evidence: 'not a fork' });
    const derived = lineage(inputs((m) => { m.derivedFrom = [{ title: 'Boxes.py', url: 'https://boxes.hackerspace-bamberg.de', license: 'GPL-3.0-only' }]; }));
    expect(derived).toEqual({ id: 'lineage', result: 'pass', evidence: 'derived from Boxes.py, licences allow it' });
    const nd = lineage(inputs((m) => { m.derivedFrom = [{ title: 'Closed box', url: 'https://example.org', license: 'CC-BY-ND-4.0' }]; }));
    expect(nd).toEqual({ id: 'lineage', result: 'fail', evidence: 'derived from works whose licence forbids derivatives: Closed box (CC-BY-ND-4.0)' });
    const up = { package: 'carol/gadget', version: '1.0.0', license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' } };
    const credited = lineage(inputs((m, i) => { i.upstream = up; m.forkOf = { package: 'carol/gadget', version: '1.0.0' }; }));
    expect(credited).toEqual({ id: 'lineage', result: 'pass', evidence: 'fork of carol/gadget@1.0.0; upstream licence allows derivatives and is credited' });
    const inReadme = lineage(inputs((_m, i) => { i.upstream = up; i.readme = 'Based on carol/gadget.'; }));
    expect(inReadme.result).toBe('pass');
    const uncredited = lineage(inputs((_m, i) => { i.upstream = up; i.readme = 'All my own work.'; }));
    expect(uncredited).toEqual({ id: 'lineage', result: 'fail', evidence: 'fork of carol/gadget@1.0.0, but the design does not credit it (set forkOf, a derivedFrom entry, or name it in the README)' });
    const closed = lineage(inputs((m, i) => { i.upstream = { ...up, license: { hardware: 'CC-BY-ND-4.0', documentation: 'CC-BY-4.0' } }; m.forkOf = { package: 'carol/gadget', version: '1.0.0' }; }));
    expect(closed.result).toBe('fail');
    expect(closed.evidence).toMatch(/^upstream carol\/gadget@1\.0\.0 does not allow derivatives: /);
  });

  it('runChecks fails when any check fails', () => {
    const r = runChecks(inputs((m) => { m.docs.sources = []; }));
    expect(r.passed).toBe(false);
    expect(r.results.find((x) => x.id === 'editable-sources')!.result).toBe('fail');
  });
});
