/** The design.yaml validator (SPEC §2): JSON Schema + the rules a schema cannot state. */
export type { DesignSource } from '../design-source.ts';
export { validateDesign, validateManifestText, type ValidationResult, type ValidateTextOptions } from './validate.ts';
export { MANIFEST_LIMITS, type ManifestLimits } from './limits.ts';
export { DESIGN_SCHEMA, DESIGN_SCHEMA_ID } from './schema-check.ts';
export { BOM_CSV_COLUMNS } from './bom-csv.ts';
export { MACRO_REGIONS } from './iso-codes.ts';
