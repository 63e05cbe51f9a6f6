/**
 * Matching producers and design versions. A design version's production requirements are its
 * process codes (`production.processes` ∪ `parts[].processes`), its tools (free text, matched
 * leniently), its facility level (a scale: a campus can do what a garage can) and the largest
 * self-made part (`parts[].outerDimensionsMm`, compared edge by edge after sorting, so a part may
 * be turned to fit the envelope). A producer covering all of it is a full fit; one covering some
 * of it is a partial fit, with what it lacks spelled out ("lacks WEL").
 */
import { FACILITY_LEVELS, type FacilityLevel, type Manifest, type ProcessCode } from '../../../schema/types.ts';
import { envelopeMm, servedRegions, type StoredProfile } from './profile.ts';
import { distanceKm, regionCovers, type Point } from './regions.ts';

export interface Requirements {
  processes: ProcessCode[];
  /** Each tool as written, with its alternatives (any one will do), each a list of needed words-groups. */
  tools: Array<{ text: string; alternatives: string[][] }>;
  facilityLevel?: FacilityLevel;
  /** The largest part, edges sorted ascending, mm. */
  largestPart?: { id: string; edges: [number, number, number] };
}

export function requirementsOf(m: Manifest): Requirements {
  const processes = [...new Set([...m.production.processes, ...(m.parts ?? []).flatMap((p) => p.processes ?? [])])].sort();
  const tools = (m.production.tools ?? []).map((t) => ({ text: t, alternatives: toolAlternatives(t) }));
  const out: Requirements = { processes, tools };
  if (m.production.facilityLevel) out.facilityLevel = m.production.facilityLevel;
  let largest: Requirements['largestPart'];
  for (const p of m.parts ?? []) {
    if (!p.outerDimensionsMm) continue;
    const edges = [...p.outerDimensionsMm].sort((a, b) => a - b) as [number, number, number];
    if (!largest || edges[2] * edges[1] * edges[0] > largest.edges[2] * largest.edges[1] * largest.edges[0]) largest = { id: p.id, edges };
  }
  if (largest) out.largestPart = largest;
  return out;
}

// ---- tools: case, plurals, "or" alternatives as manifests write them -------------------------

/** One word in a comparable form: lower case, simple English plural removed. */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(ches|shes|sses|xes)$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

export function toolWords(s: string): string[] {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean).map(stem);
}

/**
 * "CNC torch table (or hand plasma torch with templates)" → two alternatives; "Magnetic drill or
 * drill press" → two; "Multimeter and soldering iron" → one alternative needing both tools.
 */
export function toolAlternatives(t: string): string[][] {
  const flat = t.replace(/\(\s*or\s+/gi, ' or ').replace(/[()]/g, ' ');
  return flat.split(/\s+or\s+|\//i)
    .map((alt) => alt.split(/\s+and\s+|,|\s\+\s/i).map((x) => toolWords(x).join(' ')).filter(Boolean))
    .filter((alt) => alt.length > 0);
}

/**
 * `have` satisfies `need` when equal, or when the shorter (of ≥ 2 words) is a run of the longer's
 * words. Both come padded with spaces (` mig welder `), so a run is a substring.
 */
function toolSatisfies(have: string, need: string): boolean {
  if (have === need) return true;
  if (have.length < need.length) return have.indexOf(' ', 1) < have.length - 1 && need.includes(have);
  return need.indexOf(' ', 1) < need.length - 1 && have.includes(need);
}

const padded = (s: string) => ` ${s} `;

/** A producer's tools in comparable form, computed once per tools list (profiles are matched against many designs). */
const normalisedTools = new WeakMap<readonly string[], string[]>();
function comparable(tools: readonly string[]): string[] {
  let out = normalisedTools.get(tools);
  if (!out) normalisedTools.set(tools, (out = tools.map((t) => padded(toolWords(t).join(' ')))));
  return out;
}

export function hasTool(producerTools: readonly string[], need: Requirements['tools'][number]): boolean {
  const have = comparable(producerTools);
  return need.alternatives.some((alt) => alt.every((part) => {
    const p = padded(part);
    return have.some((h) => toolSatisfies(h, p));
  }));
}

// ---- one producer against one design version ------------------------------------------------

export interface Match {
  fit: 'full' | 'partial' | 'none';
  /** Machine-readable gaps: `process:WEL`, `tool:<text>`, `facility:homestead`, `envelope:<part>`. */
  missing: string[];
  /** The same gaps in words. */
  reasons: string[];
}

const NO_FIT: Match = Object.freeze({ fit: 'none', missing: [], reasons: [] }) as Match;

export function matchProducer(p: StoredProfile, req: Requirements): Match {
  const missing: string[] = [];
  const reasons: string[] = [];
  const lacking = req.processes.filter((c) => !p.processes.includes(c));
  // Nothing in common: no fit, and no need to look further (most producers, for most designs).
  if (req.processes.length > 0 && lacking.length === req.processes.length) return NO_FIT;
  for (const c of lacking) { missing.push(`process:${c}`); reasons.push(`lacks ${c}`); }
  for (const t of req.tools) {
    if (!hasTool(p.tools, t)) { missing.push(`tool:${t.text}`); reasons.push(`lacks tool "${t.text}"`); }
  }
  if (req.facilityLevel && FACILITY_LEVELS.indexOf(p.facilityLevel) < FACILITY_LEVELS.indexOf(req.facilityLevel)) {
    missing.push(`facility:${req.facilityLevel}`);
    reasons.push(`needs a ${req.facilityLevel} facility (has ${p.facilityLevel})`);
  }
  if (req.largestPart) {
    const env = envelopeMm(p);
    const e = req.largestPart.edges;
    if (env && (env[0] < e[0] || env[1] < e[1] || env[2] < e[2])) {
      missing.push(`envelope:${req.largestPart.id}`);
      reasons.push(`part ${req.largestPart.id} (${e.join(' × ')} mm) exceeds the build envelope (${env.join(' × ')} mm)`);
    }
  }
  return { fit: missing.length === 0 ? 'full' : 'partial', missing, reasons };
}

// ---- ranking ---------------------------------------------------------------------------------

export interface RankedProducer {
  account: string;
  facility: string;
  name: string;
  country: string;
  region: string | null;
  distanceKm?: number;
  regionMatch?: boolean;
  fit: 'full' | 'partial';
  missing: string[];
  reasons: string[];
}

export interface RankOptions { near?: Point; radiusKm?: number; region?: string; limit?: number }

/**
 * Full fits first, then partial ones (fewest gaps first); within each, by distance from `near`
 * (producers without coordinates after those with), or region matches first; then by name.
 * `radiusKm` drops producers farther away (and those whose distance is unknown).
 */
export function rankProducers(profiles: readonly StoredProfile[], req: Requirements | undefined, opts: RankOptions = {}): RankedProducer[] {
  const out: RankedProducer[] = [];
  for (const p of profiles) {
    const m: Match = req ? matchProducer(p, req) : { fit: 'full', missing: [], reasons: [] };
    if (m.fit === 'none') continue;
    const r: RankedProducer = {
      account: p.account, facility: p.facility, name: p.name, country: p.location.country, region: p.location.region ?? null,
      fit: m.fit, missing: m.missing, reasons: m.reasons,
    };
    if (opts.near && p.location.lat !== undefined && p.location.lon !== undefined) {
      r.distanceKm = Math.round(distanceKm(opts.near, { lat: p.location.lat, lon: p.location.lon }) * 10) / 10;
    }
    if (opts.radiusKm !== undefined && !(r.distanceKm !== undefined && r.distanceKm <= opts.radiusKm)) continue;
    if (opts.region) {
      r.regionMatch = servedRegions(p).some((s) => regionCovers(s, opts.region!) || regionCovers(opts.region!, s));
      if (!r.regionMatch) continue;
    }
    out.push(r);
  }
  out.sort((a, b) =>
    (a.fit === b.fit ? 0 : a.fit === 'full' ? -1 : 1)
    || a.missing.length - b.missing.length
    || (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity)
    || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0)
    || (a.facility < b.facility ? -1 : 1));
  return opts.limit ? out.slice(0, opts.limit) : out;
}

/** Capable (full-fit) producers per served country/region, for the design page and `ohw info`. */
export function capableByRegion(ranked: readonly RankedProducer[], profiles: ReadonlyMap<string, StoredProfile>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of ranked) {
    if (r.fit !== 'full') continue;
    const p = profiles.get(`${r.account}/${r.facility}`);
    for (const region of p ? servedRegions(p) : [r.country]) out[region] = (out[region] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
