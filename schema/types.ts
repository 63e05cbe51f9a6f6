/**
 * TypeScript view of `schema/design.schema.json` (manifestVersion "1").
 * The JSON Schema is the contract; these types must match it (test/schema/types-match.test.ts).
 */

export const PROCESS_CODES = ['ASM', 'MEC', 'CIR', 'PCB', 'WEL', '3DP', 'LAS', 'CNC', 'CST', 'WOD', 'TEX', 'CER'] as const;
export type ProcessCode = (typeof PROCESS_CODES)[number];

/** Ordered from least to most equipped: `facility=garage` admits apartment and garage designs. */
export const FACILITY_LEVELS = ['apartment', 'garage', 'homestead', 'campus', 'factory'] as const;
export type FacilityLevel = (typeof FACILITY_LEVELS)[number];

export const CATEGORIES = [
  '3D Printing', 'Agriculture', 'Arts', 'Education', 'Electronics', 'Enclosure', 'Environmental',
  'Home Connection', 'IOT', 'Manufacturing', 'Other', 'Robotics', 'Science', 'Sound', 'Space',
  'Tool', 'Wearables',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const BOM_LINE_TYPES = ['cots', 'diy', 'custom', 'raw', 'consumable', 'printed', 'pcb', 'subassembly'] as const;
export type BomLineType = (typeof BOM_LINE_TYPES)[number];

export const UNITS = ['pcs', 'mm', 'm', 'g', 'kg', 'ml', 'l', 'm2'] as const;
export type Unit = (typeof UNITS)[number];

export const OTRL_LEVELS = ['OTRL-1', 'OTRL-2', 'OTRL-3', 'OTRL-4', 'OTRL-5', 'OTRL-6'] as const;
export type Otrl = (typeof OTRL_LEVELS)[number];
/** Authors may claim these; `ODRL-3*` is derived by the registry from a certificate only. */
export const ODRL_LEVELS = ['ODRL-1', 'ODRL-2', 'ODRL-3', 'ODRL-4'] as const;
export type Odrl = (typeof ODRL_LEVELS)[number];

export const PRODUCT_LEVELS = ['product', 'production', 'distribution'] as const;
export type ProductLevel = (typeof PRODUCT_LEVELS)[number];

export const ATTESTATION_SCHEMES = ['oshwa', 'din-spec-3105-2', 'publication'] as const;
export type AttestationScheme = (typeof ATTESTATION_SCHEMES)[number];

export const PARTY_TYPES = ['Individual', 'Company', 'Organization'] as const;
export type PartyType = (typeof PARTY_TYPES)[number];

export const COMPATIBILITY = ['drop-in', 'pin-compatible', 'functional'] as const;
export type Compatibility = (typeof COMPATIBILITY)[number];

export interface Licensor { name: string; email?: string }

export interface ResponsibleParty {
  type: PartyType;
  name: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  contact: string;
}

export interface License {
  hardware: string;
  documentation: string;
  /** SPDX expression, or `NONE` when the design has no software. */
  software?: string;
}

export interface ProprietaryComponent { bomRef: string; reason: string; datasheet: string }
export interface ForkOf { package: string; version: string }
export interface DerivedFrom { title: string; url: string; license?: string }
export interface Maturity { technology?: Otrl; documentation?: Odrl }

export interface Docs {
  readme: string;
  sources: string[];
  exports?: string[];
  assembly?: string[];
  manufacturing?: string[];
  userManual?: string;
  maintenance?: string;
  disposal?: string;
  riskAssessment?: string;
  photos?: string[];
}

export interface PriceBreak { qty: number; price: number }

export interface Offer {
  supplier: string;
  sku?: string;
  url?: string;
  /** ISO 3166-1 alpha-2 country, or a region code such as `EU`, `WORLD`. */
  region?: string;
  /** ISO 4217 */
  currency: string;
  priceBreaks: PriceBreak[];
  moq?: number;
  leadTimeDays?: number;
}

export interface Alternative { manufacturer?: string; mpn: string; compatibility: Compatibility }

export interface SubassemblyRef {
  /** `owner/name` */
  package: string;
  /** semver range */
  version: string;
}

export interface BomLine {
  id: string;
  name: string;
  type: BomLineType;
  quantity: number;
  unit?: Unit;
  references?: string[];
  fitted?: boolean;
  manufacturer?: string;
  mpn?: string;
  datasheet?: string;
  part?: string;
  subassembly?: SubassemblyRef;
  offers?: Offer[];
  alternatives?: Alternative[];
  attritionPercent?: number;
  notes?: string;
  supplierParts?: SupplierPart[];
}

/** A supplier's order number for a BOM line, without a price (prices go in `offers`). */
export interface SupplierPart { supplier: string; sku: string }

export interface Part {
  id: string;
  name: string;
  processes?: ProcessCode[];
  source?: string;
  export?: string;
  material?: string;
  massG?: number;
  outerDimensionsMm?: [number, number, number];
}

export interface QualityControlStep { step: string; method: string; acceptance: string }

/** An admissible performance criterion (e.g. blocks per hour ≥ 300), which build reports measure. */
export interface PerformanceCriterion { id: string; metric: string; unit: string; target: number; comparison: '>=' | '<=' }

export interface Production {
  processes: ProcessCode[];
  tools?: string[];
  skills?: string[];
  facilityLevel?: FacilityLevel;
  estimatedBuildHours?: number;
  qualityControl?: QualityControlStep[];
  training?: string;
  performance?: PerformanceCriterion[];
}

export interface Feedstock { material: string; form?: string; localSourcing?: string }
export interface SupplyChain { feedstocks?: Feedstock[]; regionsServed?: string[]; notes?: string }
export interface Standard { publisher: string; reference: string; title?: string }
export interface Attestation { scheme: AttestationScheme; id: string; url?: string }
export interface CategoryRef { primary: Category; additional?: Category[] }

/** Formats `ohw import` reads and `ohw export` writes (SPEC §8). */
export const INTEROP_FORMATS = ['okh-v1', 'okh-losh', 'oshwa', 'kitspace'] as const;
export type InteropFormat = (typeof INTEROP_FORMATS)[number];

/** Required sections a list may leave empty, when `notProvided` says why. */
export const NOT_PROVIDED_SECTIONS = ['bom', 'production', 'docs.sources', 'documentationLanguage', 'function', 'licensor'] as const;
export type NotProvidedSection = (typeof NOT_PROVIDED_SECTIONS)[number];
export type NotProvided = Partial<Record<NotProvidedSection, string>>;

export interface OriginalLicenses { hardware?: string; documentation?: string; software?: string }

/** Where an imported design came from; set by `ohw import`. */
export interface Provenance {
  imported: true;
  sourceFormat: InteropFormat;
  sourceUrl?: string;
  sourceId?: string;
  sourceVersion?: string;
  repository?: string;
  homepage?: string;
  originalLicenses?: OriginalLicenses;
  /** YYYY-MM-DD */
  importedAt: string;
  /** Set when the record states no licence (Kitspace): read from a LICENSE file, or asserted by the importer. */
  licenseFrom?: 'license-file' | 'importer';
  /** Source fields with no counterpart in the manifest. */
  unmapped?: string[];
}

export interface Manifest {
  manifestVersion: '1';
  name: string;
  version: string;
  title: string;
  summary: string;
  function: string;
  description?: string;
  keywords?: string[];
  category?: CategoryRef;
  documentationLanguage: string | string[];
  licensor: Licensor[];
  responsibleParty?: ResponsibleParty;
  license: License;
  proprietaryComponents?: ProprietaryComponent[];
  forkOf?: ForkOf;
  derivedFrom?: DerivedFrom[];
  maturity?: Maturity;
  docs: Docs;
  /** After loading, always lines: a CSV path in the file is parsed into lines by the loader. */
  bom: BomLine[];
  parts?: Part[];
  production: Production;
  supplyChain?: SupplyChain;
  productLevels?: ProductLevel[];
  standards?: Standard[];
  attestations?: Attestation[];
  notProvided?: NotProvided;
  provenance?: Provenance;
}
