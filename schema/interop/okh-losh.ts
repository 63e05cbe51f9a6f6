/**
 * OKH-LOSH `okh.toml` (okhv "OKH-LOSHv1.0", schema vendored as okh-losh.schema.json) ↔ manifest.
 * LOSH has one `license` for the module: it is the hardware licence, and as the module is its
 * documentation, the documentation licence too. Paths in a LOSH manifest point into the source
 * repository, whose files are not copied by import; they are listed as unmapped.
 */
import type { FormatTable } from './types.ts';

export const OKH_LOSH_TABLE: FormatTable = {
  format: 'okh-losh',
  label: 'OKH-LOSH',
  nameFrom: ['name'],
  required: ['name', 'license'],
  fields: [
    { source: 'name', target: 'title', as: 'line' },
    { source: 'function', target: 'function', as: 'text' },
    { source: 'function', target: 'summary', as: 'summary', export: false },
    { source: 'version', target: 'version', as: 'version' },
    { source: 'license', target: 'license.hardware', as: 'licenseHardware' },
    { source: 'license', target: 'license.documentation', as: 'licenseDocumentation', export: false },
    { source: 'licensor', target: 'licensor', as: 'licensorNames' },
    { source: 'documentation-language', target: 'documentationLanguage', as: 'language' },
    { source: 'technology-readiness-level', target: 'maturity.technology', as: 'otrl' },
    { source: 'documentation-readiness-level', target: 'maturity.documentation', as: 'odrl' },
    { source: 'tsdc', target: 'production', as: 'tsdc' },
    { source: 'repo', target: 'provenance.repository', as: 'url' },
  ],
  ignored: ['okhv', 'organization', 'readme', 'image', 'bom', 'source', 'export', 'auxiliary', 'part', 'software', 'release',
    'user-manual', 'manufacturing-instructions', 'contribution-guide', 'cpc-patent-class', 'attestation', 'standard-compliance',
    'mass', 'outer-dimensions', 'material', 'printing-process', '2d-size-mm', 'component-sides'],
  notProvided: {
    bom: 'the OKH-LOSH manifest names its BOM as a file in the source repository, which import does not copy',
    production: 'the OKH-LOSH manifest names no process (tsdc)',
    'docs.sources': 'the OKH-LOSH manifest names its design files in the source repository, which import does not copy',
    documentationLanguage: 'the OKH-LOSH manifest does not state documentation-language',
    function: 'the OKH-LOSH manifest has no function',
    licensor: 'the OKH-LOSH manifest names no licensor',
  },
  exportConstants: { okhv: 'OKH-LOSHv1.0' },
};
