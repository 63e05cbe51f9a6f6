/**
 * GET /api/v1/designs/:owner/:name/versions/:version/bom — the exploded, costed BOM of one
 * published version for a batch of N units.
 *
 *   resolve (sub-assembly ranges → exact versions, through `resolveDesignTree`)
 *   → explode (one flat list per top-level unit, merged, with attrition)
 *   → cost (batch quantities, price breaks, MOQ, optional exchange rates)
 *
 * All arithmetic is the pure core in `schema/bom/`; this file only reads the registry, checks the
 * request and shapes the answer. The answer is a superset of the core's `BomCosting`, so the CLI
 * renders it with the same `bomToTable` / `bomToCsv` it uses for a local folder.
 *
 * Sub-assembly ranges are resolved when the BOM is asked for, against the registry as it is then
 * (highest non-yanked version in range), like `npm install` without a lockfile. When that differs
 * from what was recorded in the version's index line at publish time, a warning says so.
 */
import { OhwError } from '../../schema/errors.ts';
import { costBatch, parseRates, type ExchangeRates } from '../../schema/bom/cost.ts';
import { explode } from '../../schema/bom/explode.ts';
import { bomReport, type BomReport } from '../../schema/bom/report.ts';
import type { ResolvedTree } from '../../schema/bom/resolve.ts';
import type { Deps } from './deps.ts';
import { requireDesign, requireVersion } from './read-design.ts';
import { resolveDesignTree } from './resolve-dependencies.ts';

export type { BomReport };

export interface BomOptions {
  /** Top-level units to build; a whole number ≥ 1. */
  batch: number;
  /** ISO 4217: the preferred currency, or the target currency when rates are given. */
  currency?: string;
  rates?: ExchangeRates;
}

/** `?batch=` → a whole number ≥ 1 (default 1). */
export function parseBatch(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  const s = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : undefined;
  const n = s !== undefined && /^\+?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new OhwError('INVALID_REQUEST', `batch must be a whole number ≥ 1 (got ${JSON.stringify(typeof raw === 'string' ? raw : String(raw))})`, {
      details: { batch: raw },
    });
  }
  return n;
}

/**
 * `?rates=` in either form: `USD:1.08,GBP:0.85` (1 `currency` = 1.08 USD; needs `currency`) or
 * the JSON of a rates file, `{"base":"EUR","rates":{"USD":1.08}}`.
 */
export function parseRatesParam(raw: unknown, currency: string | undefined): ExchangeRates | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new OhwError('INVALID_REQUEST', 'rates must be given once, as CODE:rate pairs (USD:1.08,GBP:0.85) or as JSON');
  const t = raw.trim();
  if (t.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      throw new OhwError('INVALID_REQUEST', 'invalid exchange rates: not valid JSON (expected {"base": "EUR", "rates": {"USD": 1.08}})');
    }
    return parseRates(parsed);
  }
  return parseRates(t, currency?.trim().toUpperCase());
}

/** Warnings for direct sub-assemblies that now resolve differently from what publish recorded. */
function driftWarnings(pkg: string, version: string, tree: ResolvedTree, recorded: Array<{ package: string; range: string; version: string }>): string[] {
  const out: string[] = [];
  const now = new Map(tree.dependencies.map((d) => [`${d.package}\u0000${d.range}`, d.version]));
  for (const r of recorded) {
    const v = now.get(`${r.package}\u0000${r.range}`);
    if (v !== undefined && v !== r.version) {
      out.push(`${r.package} "${r.range}" now resolves to ${v}; ${r.version} was recorded when ${pkg}@${version} was published`);
    }
  }
  return out;
}

export async function bomOfVersion(deps: Deps, rawPkg: string, version: string, opts: BomOptions): Promise<BomReport> {
  // Check the cheap things first: a bad batch is a 400 even for a design that is expensive to resolve.
  parseBatch(opts.batch);
  const pkg = await requireDesign(deps, rawPkg);
  const record = await requireVersion(deps, pkg, version);
  const [manifest, state] = await Promise.all([deps.manifests.get(pkg, record.version), deps.designs.state(pkg)]);
  const tree = await resolveDesignTree(deps, pkg, record.version, manifest);
  const costOpts: Parameters<typeof costBatch>[1] = { batch: opts.batch };
  if (opts.currency !== undefined) costOpts.currency = opts.currency;
  if (opts.rates) costOpts.rates = opts.rates;
  const costing = costBatch(explode(tree), costOpts);
  const rootYanked = Boolean(state.yanked[record.version]);
  if (rootYanked) costing.warnings.unshift(`${pkg}@${record.version} is yanked`);
  costing.warnings.push(...driftWarnings(pkg, record.version, tree, record.meta.dependencies ?? []));
  return bomReport(pkg, record.version, tree, costing, rootYanked);
}
