/** Import and export of OKH v1, OKH-LOSH, OSHWA and Kitspace records (SPEC §8). Pure. */
export { importRecord, exportFields, roundTripFields, getPath, slug } from './engine.ts';
export { TABLES, EXPORT_FORMATS, EXPORT_REQUIRED, detectFormat, parseDocument, exportManifest, type ExportFormat, type ExportOptions, type ExportedDocument } from './formats.ts';
export { kitspaceProjects, kitspaceRecord, parseKitspaceBom, readLicenseFile } from './kitspace.ts';
export type { FormatTable, ImportContext, ImportOutcome, ImportedDesign, InteropIssue } from './types.ts';
