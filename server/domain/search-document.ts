/**
 * The search document: one per design, derived from the manifest of its latest non-yanked version
 * plus registry state (certification, lineage, publish time). Pure: no I/O, no engine types.
 *
 * Both search engines (embedded MiniSearch and Meilisearch) index exactly this shape, so every
 * field here is either searchable text, a filter/facet value, or a sort key. Filter values are
 * normalised here (process codes as-is, regions upper-case, tools lower-case) so that engines only
 * ever compare normalised strings.
 */
import { createHash } from 'node:crypto';
import { licenseFamily, licenseIds, type LicenseFamily } from '../../schema/licenses.ts';
import { FACILITY_LEVELS, type BomLine, type FacilityLevel, type Manifest } from '../../schema/types.ts';

export type { LicenseFamily };

export interface EstimatedCost {
  amount: number;
  currency: string;
}

export interface SearchDocument {
  /** `owner--name` (Meilisearch ids allow `[A-Za-z0-9_-]` only; names never contain `--`). */
  id: string;
  /** `owner/name` */
  package: string;
  /** Namespace owner (first segment of the package name). */
  owner: string;
  /** Second segment of the package name. */
  name: string;
  /** Version the document describes: the latest non-yanked one. */
  version: string;
  /** All non-yanked versions, so `owner/name@version` finds the design. */
  versions: string[];
  title: string;
  summary: string;
  function: string;
  keywords: string[];
  /** Primary category. */
  category?: string;
  /** Primary + additional categories (filter/facet `category`). */
  categories: string[];
  /** SPDX ids appearing in the hardware, documentation and software expressions (not `NONE`). */
  licenses: string[];
  /** Family of the hardware licence: what a producer has to care about. */
  licenseFamily: LicenseFamily;
  /** Process codes needed to build: `production.processes` ∪ `parts[].processes`, sorted. */
  processes: string[];
  /** Tools needed, lower-cased and trimmed (have-tools filter compares these). */
  tools: string[];
  facilityLevel?: FacilityLevel;
  /** Index in FACILITY_LEVELS; FACILITY_UNKNOWN_RANK when the design does not say. */
  facilityRank: number;
  otrl?: string;
  /** Author's claim, or `ODRL-3*` when certified (see deriveOdrl). */
  odrl?: string;
  /** `[otrl, odrl]` present values — the `maturity` filter and facet. */
  maturity: string[];
  certified: boolean;
  /** Certification state when there is a certification record for this version. */
  certification?: string;
  /** At least one successful (current) build report of any version (always set by buildSearchDocument). */
  built?: boolean;
  /** Successful builds as a facet bucket: `none`, `1`, `2-4`, `5+`. */
  builds?: string;
  /** Product levels producers offer the design at (`product`, `production`, `distribution`). */
  offerLevels?: string[];
  /** BOM line names and self-made part names. */
  partNames: string[];
  /** Manufacturer part numbers of BOM lines and of their alternatives. */
  mpns: string[];
  /** Regions of supplier offers, upper-cased (`DE`, `EU`, `WORLD`). */
  regions: string[];
  /** `owner/name` of the upstream design when this one is a fork. */
  forkOf?: string;
  estimatedCost?: EstimatedCost;
  /** `estimatedCost.amount` as a sort key (no currency conversion; see estimateCost). */
  costSort?: number;
  /** ISO time of the latest non-yanked version (or of the last registry change that matters). */
  updatedAt: string;
  updatedAtTs: number;
  /** Required sections the imported source did not provide (`bom`, `production`, …): shown as missing. */
  notProvided?: string[];
  /** Imported from another catalogue (manifest provenance): the source format. */
  importedFrom?: string;
  /**
   * True when the design has no non-yanked version left. Engines treat an upsert of a yanked
   * document as a removal, so callers can always upsert what buildSearchDocument returns.
   */
  yanked?: boolean;
}

/** Rank given to designs without `production.facilityLevel`: they match no `facility=` filter. */
export const FACILITY_UNKNOWN_RANK = FACILITY_LEVELS.length;

export const searchDocumentId = (pkg: string): string => pkg.toLowerCase().replace('/', '--');

export interface BuildSearchDocumentInput {
  /** Manifest of the latest non-yanked version. */
  manifest: Manifest;
  /** Non-yanked versions (for exact-name finds). Empty → the document is marked yanked. */
  versions: string[];
  /** Namespace owner; defaults to the first segment of `manifest.name`. */
  owner?: string;
  /** ISO timestamp. */
  updatedAt: string;
  certification?: { state: string };
  /** Successful current build reports of the design (any version). */
  successfulBuilds?: number;
  /** Product levels on offer. */
  offerLevels?: string[];
  /** `owner/name` of the upstream; defaults to `manifest.forkOf.package`. */
  forkOf?: string;
  /** Delisted by an admin at the licensor's request: the document is dropped like a yanked one. */
  delisted?: boolean;
}

export function buildSearchDocument(input: BuildSearchDocumentInput): SearchDocument {
  const m = input.manifest;
  const pkg = m.name.toLowerCase();
  const [nsOwner = pkg, name = pkg] = pkg.split('/');
  const updatedAtTs = Date.parse(input.updatedAt);
  if (Number.isNaN(updatedAtTs)) throw new TypeError(`buildSearchDocument: updatedAt is not a date: ${input.updatedAt}`);

  const categories = m.category ? uniq([m.category.primary, ...(m.category.additional ?? [])]) : [];
  const licenses = uniq(
    [m.license.hardware, m.license.documentation, m.license.software]
      .filter((e): e is string => typeof e === 'string' && e.trim() !== '' && e.trim().toUpperCase() !== 'NONE')
      .flatMap((e) => licenseIds(e)),
  );
  const processes = uniq([...m.production.processes, ...(m.parts ?? []).flatMap((p) => p.processes ?? [])]).sort();
  const tools = uniq((m.production.tools ?? []).map(normaliseTool).filter((t) => t !== ''));
  const facilityLevel = m.production.facilityLevel;
  const facilityRank = facilityLevel ? FACILITY_LEVELS.indexOf(facilityLevel) : FACILITY_UNKNOWN_RANK;

  const certification = input.certification?.state;
  const certified = certification === 'certified';
  const otrl = m.maturity?.technology;
  const odrl = deriveOdrl(m.maturity?.documentation, certified);

  const fitted = m.bom.filter((l) => l.fitted !== false);
  const partNames = uniq([...m.bom.map((l) => l.name), ...(m.parts ?? []).map((p) => p.name)].map((s) => s.trim()).filter(Boolean));
  const mpns = uniq(m.bom.flatMap((l) => [l.mpn, ...(l.alternatives ?? []).map((a) => a.mpn)]).filter(isNonEmpty).map((s) => s.trim()));
  const regions = uniq(m.bom.flatMap((l) => (l.offers ?? []).map((o) => o.region)).filter(isNonEmpty).map((r) => r.trim().toUpperCase()));
  const estimatedCost = estimateCost(fitted);

  const doc: SearchDocument = {
    id: searchDocumentId(pkg),
    package: pkg,
    owner: (input.owner ?? nsOwner).toLowerCase(),
    name,
    version: m.version,
    versions: [...input.versions],
    title: m.title,
    summary: m.summary,
    function: m.function,
    keywords: uniq((m.keywords ?? []).map((k) => k.trim()).filter(Boolean)),
    categories,
    licenses,
    licenseFamily: licenseFamily(m.license.hardware),
    processes,
    tools,
    facilityRank,
    maturity: [otrl, odrl].filter(isNonEmpty),
    certified,
    built: (input.successfulBuilds ?? 0) > 0,
    builds: buildsBucket(input.successfulBuilds ?? 0),
    offerLevels: [...(input.offerLevels ?? [])].sort(),
    partNames,
    mpns,
    regions,
    updatedAt: new Date(updatedAtTs).toISOString(),
    updatedAtTs,
  };
  if (m.category) doc.category = m.category.primary;
  if (facilityLevel) doc.facilityLevel = facilityLevel;
  if (otrl) doc.otrl = otrl;
  if (odrl) doc.odrl = odrl;
  if (certification) doc.certification = certification;
  const forkOf = input.forkOf ?? m.forkOf?.package;
  if (forkOf) doc.forkOf = forkOf.toLowerCase();
  if (estimatedCost) {
    doc.estimatedCost = estimatedCost;
    doc.costSort = estimatedCost.amount;
  }
  const missing = Object.keys(m.notProvided ?? {});
  if (missing.length) doc.notProvided = missing.sort();
  if (m.provenance?.imported) doc.importedFrom = m.provenance.sourceFormat;
  // Engines treat an upsert of a yanked document as a removal: a delisted design leaves search.
  if (input.versions.length === 0 || input.delisted) doc.yanked = true;
  return doc;
}

/**
 * `ODRL-3*` is never claimed by authors: a current certificate means an independent review found the
 * documentation sufficient to reproduce the design, which is ODRL-3 attested. A self-claimed
 * ODRL-4 (production documentation) is a different, higher axis and is kept as claimed.
 */
export function deriveOdrl(claimed: string | undefined, certified: boolean): string | undefined {
  if (!certified) return claimed;
  if (claimed === 'ODRL-4') return claimed;
  return 'ODRL-3*';
}

/**
 * Rough cost of one unit, for sorting and display only:
 * Σ over fitted BOM lines of quantity × the lowest-quantity price break of the line's first offer,
 * summed per currency; the currency with most priced lines wins (ties: larger sum, then code).
 * Lines priced in other currencies are left out (no exchange rates here). Sub-assemblies are
 * not resolved (their own BOM is not visible from this manifest): a subassembly line only
 * counts when it carries an offer itself. Attrition, MOQs and price breaks above qty 1 are
 * ignored. undefined when no line has a price. `costSort` compares amounts across currencies
 * as-is.
 */
export function estimateCost(lines: BomLine[]): EstimatedCost | undefined {
  const byCurrency = new Map<string, { lines: number; sum: number }>();
  for (const line of lines) {
    const offer = line.offers?.[0];
    if (!offer || offer.priceBreaks.length === 0) continue;
    const lowest = offer.priceBreaks.reduce((a, b) => (b.qty < a.qty ? b : a));
    if (!Number.isFinite(lowest.price) || !Number.isFinite(line.quantity)) continue;
    const currency = offer.currency.toUpperCase();
    const acc = byCurrency.get(currency) ?? { lines: 0, sum: 0 };
    acc.lines += 1;
    acc.sum += line.quantity * lowest.price;
    byCurrency.set(currency, acc);
  }
  let best: { currency: string; lines: number; sum: number } | undefined;
  for (const [currency, acc] of byCurrency) {
    if (
      !best ||
      acc.lines > best.lines ||
      (acc.lines === best.lines && (acc.sum > best.sum || (acc.sum === best.sum && currency < best.currency)))
    ) {
      best = { currency, ...acc };
    }
  }
  return best ? { amount: Math.round(best.sum * 100) / 100, currency: best.currency } : undefined;
}

/** Facet bucket of a number of successful builds. */
export function buildsBucket(n: number): string {
  return n <= 0 ? 'none' : n === 1 ? '1' : n < 5 ? '2-4' : '5+';
}

export const normaliseTool = (t: string): string => t.trim().replace(/\s+/g, ' ').toLowerCase();

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

function isNonEmpty(x: string | undefined | null): x is string {
  return typeof x === 'string' && x.trim() !== '';
}

/** A short digest of a search document: a saved index entry is current when the stored document has the same one. */
export function documentDigest(doc: SearchDocument): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('base64url').slice(0, 22);
}
