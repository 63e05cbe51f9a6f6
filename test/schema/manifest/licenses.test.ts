/**
 * Licence findings from schema/licenses.ts, located at `license.<role>`. The wording of the
 * findings belongs to that module; here we check they arrive where the author wrote the licence.
 */
import { describe, expect, it } from 'vitest';
import { validateManifestText } from '../../../schema/manifest/index.ts';
import { edit, expectIssue, MINIMAL, single } from './fixtures.ts';

describe('licences', () => {
  it('refuses an unknown SPDX id, suggesting the real one', () => {
    expectIssue(validateManifestText(edit('hardware: CERN-OHL-S-2.0', 'hardware: CERN-OHL-2')), {
      code: 'spdx-unknown', path: 'license.hardware', line: 11, column: 13, message: 'unknown SPDX id "CERN-OHL-2" (did you mean CERN-OHL-S-2.0?)',
    });
  });

  it('refuses a deprecated id, naming the replacement', () => {
    const r = validateManifestText(edit('  documentation: CC-BY-4.0', '  documentation: CC-BY-4.0\n  software: GPL-2.0'));
    const issue = single(r, 'spdx-deprecated');
    expect(issue).toMatchObject({ file: 'design.yaml', path: 'license.software', line: 13, column: 13, severity: 'error' });
    expect(issue.message).toContain('GPL-2.0-only');
    expect(r.ok).toBe(false);
  });

  it('refuses NonCommercial and NoDerivatives Creative Commons licences', () => {
    const nc = single(validateManifestText(edit('documentation: CC-BY-4.0', 'documentation: CC-BY-NC-4.0')), 'license-nc');
    expect(nc).toMatchObject({ path: 'license.documentation', line: 12, column: 18, severity: 'error' });
    expect(nc.message).toMatch(/CC-BY-NC-4\.0.*commercial/i);
    const nd = single(validateManifestText(edit('hardware: CERN-OHL-S-2.0', 'hardware: CC-BY-ND-4.0')), 'license-nd');
    expect(nd).toMatchObject({ path: 'license.hardware', line: 11, column: 13, severity: 'error' });
    expect(nd.message).toMatch(/CC-BY-ND-4\.0.*derivative/i);
  });

  it('accepts software: NONE and passes LicenseRef-* on as a warning', () => {
    expect(validateManifestText(edit('  documentation: CC-BY-4.0', '  documentation: CC-BY-4.0\n  software: NONE')).issues).toEqual([]);
    const r = validateManifestText(edit('hardware: CERN-OHL-S-2.0', 'hardware: LicenseRef-Acme-Open'));
    expect(r.ok).toBe(true);
    expect(r.manifest).toBeDefined();
    expect(single(r, 'license-ref')).toMatchObject({ path: 'license.hardware', line: 11, column: 13, severity: 'warning' });
  });

  it('leaves the minimal manifest clean', () => {
    expect(validateManifestText(MINIMAL).issues).toEqual([]);
  });
});
