/**
 * Shapes shared by the interop mapping core (SPEC §8): one table per format says which source
 * field becomes which manifest field and through which converter. Pure data; no I/O.
 */
import type { InteropFormat, NotProvided } from '../types.ts';

export type { InteropFormat };

/** A problem with one source record: where (a path in the source record) and what. */
export interface InteropIssue {
  /** Field path in the source record (`hardwareLicense`, `license.hardware`, `bom[3].Qty`), or `` for the record. */
  path: string;
  /** Stable reason code; the report totals refusals by it. */
  code: string;
  message: string;
}

/** The converters a table may name; each reads a source value and (where it can) writes it back. */
export type ConverterName =
  | 'line' | 'text' | 'htmlLine' | 'htmlText' | 'summary' | 'htmlSummary'
  | 'version' | 'keywords' | 'category' | 'categories' | 'url' | 'language'
  | 'licenseHardware' | 'licenseDocumentation' | 'licenseSoftware' | 'licenseModule'
  | 'licensorNames' | 'licensorPerson' | 'otrl' | 'odrl' | 'tsdc' | 'maturityV1'
  | 'derivedV1' | 'standardsV1' | 'oshwaAttestation' | 'citations' | 'pcbFromGerbers' | 'bomLines'
  | 'licensorJoined' | 'oshwaSoftware' | 'notes';

/** One row of a format table: `source` (a dotted path, or several) → `target` (a manifest path). */
export interface FieldRule {
  source: string | string[];
  target: string;
  as: ConverterName;
  /** false: import only (e.g. `summary` derived from the description); default true. */
  export?: boolean;
  /** false: export only (a certification application field the directory dump does not carry). */
  import?: boolean;
}

export interface FormatTable {
  format: InteropFormat;
  /** Human name in messages. */
  label: string;
  /** Source path of the record's own identifier (the OSHWA UID…); else the input's name is used. */
  idField?: string;
  /** Source paths tried in order for the design's name. */
  nameFrom: string[];
  /** Append the record id to the name (OSHWA: two projects may share a name, never a UID). */
  nameWithId?: boolean;
  /** Source paths that must be present and non-empty. */
  required: string[];
  /** What to tell the user when a required field is missing, by source path. */
  requiredHints?: Record<string, string>;
  fields: FieldRule[];
  /** Source fields that exist in the format but have no counterpart in the manifest. */
  ignored: string[];
  /** Why a required manifest section stays empty when the source has nothing for it. */
  notProvided: NotProvided;
  /** Template of the record's own URL, `{field}` or `{field|lower}`. */
  sourceUrl?: string;
  /** Constant fields written on export (`okhv = "OKH-LOSHv1.0"`). */
  exportConstants?: Record<string, unknown>;
}

/** What an import produces for one accepted record: the design folder's files, ready to write. */
export interface ImportedDesign {
  /** `owner--name`, the folder name (as in `designs/`). */
  folder: string;
  /** `owner/name` */
  name: string;
  files: Array<{ path: string; data: Uint8Array }>;
  /** Source fields present in the record that have no counterpart in the manifest. */
  unmapped: string[];
}

export type ImportOutcome =
  | { status: 'accepted'; id: string; design: ImportedDesign }
  | { status: 'refused'; id: string; issues: InteropIssue[] };

/** Caller-supplied facts an import needs (everything else comes from the record). */
export interface ImportContext {
  /** Namespace for the imported designs' names (`--owner`). */
  owner: string;
  /** YYYY-MM-DD, recorded as provenance.importedAt. */
  today: string;
  /** The record's identifier when it has none of its own (file name, array index). */
  fallbackId: string;
  /** Original bytes of the record, kept as `import/source.<ext>`. */
  sourceBytes: Uint8Array;
  sourceExt: string;
  /** Appended to the design name when another record of the run already has it. */
  nameSuffix?: string;
  /** Extra files of the record (Kitspace BOMs, a LICENSE file), by path relative to the record. */
  sideFiles?: ReadonlyMap<string, Uint8Array>;
}
