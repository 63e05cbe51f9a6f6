/**
 * OSHWA certification directory records (certificationapi.oshwa.org/api/projects) ↔ manifest.
 * Direct matches follow the LOSH mapping (iop-alliance/OpenKnowHow src/mapping/OSHWA.md):
 * projectName → name, projectVersion → version, projectDescription → function,
 * documentationUrl → repo, responsibleParty → licensor. Texts are stored HTML-escaped upstream.
 */
import type { FormatTable } from './types.ts';

export const OSHWA_TABLE: FormatTable = {
  format: 'oshwa',
  label: 'OSHWA',
  idField: 'oshwaUid',
  nameFrom: ['projectName'],
  nameWithId: true,
  required: ['oshwaUid', 'projectName', 'hardwareLicense', 'documentationLicense'],
  fields: [
    { source: 'projectName', target: 'title', as: 'htmlLine' },
    { source: 'projectDescription', target: 'function', as: 'htmlText' },
    { source: 'projectDescription', target: 'summary', as: 'htmlSummary', export: false },
    { source: 'projectVersion', target: 'version', as: 'version' },
    // The application's responsible party is the manifest's, when it names one; else the licensor.
    { source: 'responsibleParty', target: 'responsibleParty.name', as: 'line', import: false },
    { source: 'responsibleParty', target: 'licensor', as: 'licensorJoined' },
    { source: 'responsiblePartyType', target: 'responsibleParty.type', as: 'line', import: false },
    { source: 'country', target: 'responsibleParty.country', as: 'line', import: false },
    { source: 'publicContact', target: 'responsibleParty.contact', as: 'line', import: false },
    { source: 'hardwareLicense', target: 'license.hardware', as: 'licenseHardware' },
    { source: 'documentationLicense', target: 'license.documentation', as: 'licenseDocumentation' },
    { source: 'softwareLicense', target: 'license.software', as: 'oshwaSoftware' },
    { source: 'primaryType', target: 'category.primary', as: 'category' },
    { source: 'additionalType', target: 'category.additional', as: 'categories' },
    { source: 'projectKeywords', target: 'keywords', as: 'keywords' },
    { source: 'oshwaUid', target: 'attestations', as: 'oshwaAttestation' },
    { source: 'citations', target: 'attestations', as: 'citations' },
    { source: 'documentationUrl', target: 'provenance.repository', as: 'url' },
    { source: 'projectWebsite', target: 'provenance.homepage', as: 'url' },
  ],
  // country is a country name (not ISO 3166) and belongs to responsibleParty, which also needs a
  // contact that the public directory does not publish; dates and previous UIDs have no field.
  ignored: ['country', 'certificationDate', 'previousVersions', 'publicContact'],
  notProvided: {
    bom: 'OSHWA certification records carry no bill of materials',
    production: 'OSHWA certification records carry no production data (processes, tools)',
    'docs.sources': 'OSHWA certification records link to the documentation (provenance.repository) but carry no design files',
    documentationLanguage: 'OSHWA certification records do not state the documentation language',
    function: 'the OSHWA record has an empty projectDescription',
    licensor: 'the OSHWA record names no responsibleParty',
  },
  sourceUrl: 'https://certification.oshwa.org/{oshwaUid|lower}.html',
};
