/**
 * OKH v1.0 YAML (IoP Alliance 2019; schema iop-alliance/OpenKnowHow src/schema/okh-v1.schema.json)
 * ↔ manifest. Rules follow the LOSH mapping (src/mapping/OKHv1.md): function = description +
 * intended-use + health-safety-notice; documentation-home → repo; made / made-independently /
 * development-stage → readiness levels; derivative-of → the design it derives from.
 */
import type { FormatTable } from './types.ts';

export const OKH_V1_TABLE: FormatTable = {
  format: 'okh-v1',
  label: 'OKH v1',
  idField: 'id',
  nameFrom: ['title'],
  required: ['title', 'license'],
  fields: [
    { source: 'title', target: 'title', as: 'line' },
    { source: 'description', target: 'function', as: 'text' },
    { source: ['description', 'intended-use', 'health-safety-notice'], target: 'function', as: 'text', export: false },
    { source: 'description', target: 'summary', as: 'summary', export: false },
    { source: 'version', target: 'version', as: 'version' },
    // LOSH mapping: the hardware licence, else the documentation licence, is the module's licence;
    // a manifest that states only one of the two has it cover both.
    // (Some manifests give `license` as one string: that is the module's licence.)
    { source: ['license.hardware', 'license.documentation', 'license'], target: 'license.hardware', as: 'licenseHardware' },
    { source: ['license.documentation', 'license.hardware', 'license'], target: 'license.documentation', as: 'licenseDocumentation' },
    { source: 'license.software', target: 'license.software', as: 'licenseSoftware' },
    { source: 'licensor', target: 'licensor', as: 'licensorPerson' },
    { source: 'documentation-language', target: 'documentationLanguage', as: 'language' },
    { source: 'keywords', target: 'keywords', as: 'keywords' },
    { source: ['made-independently', 'made', 'development-stage'], target: 'maturity', as: 'maturityV1', export: false },
    { source: ['derivative-of', 'variant-of'], target: 'derivedFrom', as: 'derivedV1' },
    { source: 'standards-used', target: 'standards', as: 'standardsV1' },
    { source: 'documentation-home', target: 'provenance.repository', as: 'url' },
    { source: 'project-link', target: 'provenance.homepage', as: 'url' },
  ],
  ignored: ['okh-manifest-version', 'date-created', 'date-updated', 'manifest-author', 'manifest-language', 'manifest-is-translation',
    'documentation-is-translation', 'contact', 'contributors', 'image', 'bom', 'archive-download', 'design-files', 'schematics',
    'manufacturing-files', 'making-instructions', 'operating-instructions', 'maintenance-instructions', 'disposal-instructions',
    'quality-instructions', 'risk-assessment', 'tool-list', 'tool-settings', 'software', 'sub', 'sub-parts', 'origin', 'intended-use', 'health-safety-notice'],
  notProvided: {
    bom: 'the OKH v1 manifest names its BOM as a link or file in the source repository, which import does not copy',
    production: 'OKH v1 manifests carry no process codes',
    'docs.sources': 'the OKH v1 manifest names its design files in the source repository, which import does not copy',
    documentationLanguage: 'the OKH v1 manifest does not state documentation-language',
    function: 'the OKH v1 manifest has no description',
    licensor: 'the OKH v1 manifest names no licensor (manifest-author and contributors are not the licence holder)',
  },
  exportConstants: { 'okh-manifest-version': '1.0.0' },
};
