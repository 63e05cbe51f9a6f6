/**
 * Build reports ("I built this"): public, append-only facts about one design version, one
 * JSON line each in `builds/<owner>/<name>/<version>.jsonl` in index.git, each line its own commit
 * by the reporter's no-reply identity. A correction is a new report that names the old one
 * (`corrects`); the old one stays. Owners endorse reports (an `endorsement` line): an endorsed
 * successful report lets its reporter use the certified mark. Pure: parsing, replay, summaries.
 */
import { OhwError } from '../../../schema/errors.ts';
import { FACILITY_LEVELS, PROCESS_CODES, type FacilityLevel, type Manifest, type PerformanceCriterion, type ProcessCode } from '../../../schema/types.ts';
import { isCurrency } from '../../../schema/manifest/iso-codes.ts';
import { bodyChecker, CURRENCY, text } from './body.ts';
import { requireRegion } from './regions.ts';

export const OUTCOMES = ['works', 'works-with-changes', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const QC_RESULTS = ['pass', 'fail', 'n/a'] as const;
export const MAX_PHOTOS_PER_REPORT = 8;

export type { PerformanceCriterion };

export interface BuildReport {
  outcome: Outcome;
  region: string;
  facilityLevel?: FacilityLevel;
  processes: ProcessCode[];
  hours?: number;
  cost?: { amount: number; currency: string };
  qc: Record<string, (typeof QC_RESULTS)[number]>;
  measurements: Record<string, number>;
  notes?: string;
  /** `sha256:<hex>` of photos uploaded first (POST /photos). */
  photos: string[];
  corrects?: string;
}

export interface BuildLine {
  seq: number;
  type: 'report' | 'endorsement';
  at: string;
  actor: string;
  data: Record<string, unknown>;
}

/** qualityControl items have no id in the manifest: their id is the slug of `step`. */
export const qcId = (step: string): string =>
  step.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'step';

const checkReport = bodyChecker<BuildReport>('build report', {
  type: 'object',
  additionalProperties: false,
  required: ['outcome', 'region'],
  properties: {
    outcome: { enum: [...OUTCOMES] },
    region: text(8),
    facilityLevel: { enum: [...FACILITY_LEVELS] },
    processes: { type: 'array', maxItems: PROCESS_CODES.length, uniqueItems: true, items: { enum: [...PROCESS_CODES] } },
    hours: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
    cost: {
      type: 'object', additionalProperties: false, required: ['amount', 'currency'],
      properties: { amount: { type: 'number', minimum: 0, maximum: 1e9 }, currency: CURRENCY },
    },
    qc: { type: 'object', maxProperties: 500, additionalProperties: { enum: [...QC_RESULTS] } },
    measurements: { type: 'object', maxProperties: 100, additionalProperties: { type: 'number' } },
    notes: { type: 'string', maxLength: 10_000 },
    photos: { type: 'array', maxItems: MAX_PHOTOS_PER_REPORT, uniqueItems: true, items: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } },
    corrects: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
  },
});

/** Validates a report against the version's manifest: qc ids and performance ids must be its own. */
export function parseBuildReport(body: unknown, manifest: Manifest): BuildReport {
  const b = checkReport(body);
  const qcIds = (manifest.production.qualityControl ?? []).map((q) => qcId(q.step));
  for (const k of Object.keys(b.qc ?? {})) {
    if (!qcIds.includes(k)) throw new OhwError('INVALID_REQUEST', `qc.${k}: not a qualityControl item of this version; items: ${qcIds.join(', ') || '(none)'}`);
  }
  const perfIds = performanceOf(manifest).map((p) => p.id);
  for (const k of Object.keys(b.measurements ?? {})) {
    if (!perfIds.includes(k)) throw new OhwError('INVALID_REQUEST', `measurements.${k}: not a performance criterion of this version; criteria: ${perfIds.join(', ') || '(none)'}`);
  }
  if (b.cost && !isCurrency(b.cost.currency.toUpperCase())) throw new OhwError('INVALID_REQUEST', `cost.currency: ${b.cost.currency} is not an ISO 4217 code`);
  const out: BuildReport = {
    outcome: b.outcome,
    region: requireRegion(b.region, 'region'),
    processes: [...(b.processes ?? [])].sort(),
    qc: b.qc ?? {},
    measurements: b.measurements ?? {},
    photos: b.photos ?? [],
  };
  if (b.facilityLevel) out.facilityLevel = b.facilityLevel;
  if (b.hours !== undefined) out.hours = b.hours;
  if (b.cost) out.cost = { amount: b.cost.amount, currency: b.cost.currency.toUpperCase() };
  if (b.notes !== undefined && b.notes.trim() !== '') out.notes = b.notes;
  if (b.corrects) out.corrects = b.corrects;
  return out;
}

export function performanceOf(m: Manifest): PerformanceCriterion[] {
  return m.production.performance ?? [];
}

export function parseLines(text: string | undefined): BuildLine[] {
  if (!text) return [];
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as BuildLine);
}

export const appendLine = (text: string | undefined, line: Omit<BuildLine, 'seq'>): { text: string; seq: number } => {
  const seq = parseLines(text).length + 1;
  return { text: `${text ?? ''}${JSON.stringify({ seq, ...line })}\n`, seq };
};

export interface ReportView extends BuildReport {
  id: string;
  at: string;
  reporter: string;
  endorsedBy: string[];
  correctedBy: string[];
}

/** Reports with their endorsements and corrections folded in, oldest first. */
export function replayBuilds(lines: readonly BuildLine[]): ReportView[] {
  const reports = new Map<string, ReportView>();
  for (const l of lines) {
    if (l.type === 'report') reports.set(String(l.seq), { ...(l.data as unknown as BuildReport), id: String(l.seq), at: l.at, reporter: l.actor, endorsedBy: [], correctedBy: [] });
    else if (l.type === 'endorsement') {
      const r = reports.get(String(l.data.report));
      if (r && !r.endorsedBy.includes(l.actor)) r.endorsedBy.push(l.actor);
    }
  }
  for (const r of reports.values()) if (r.corrects) reports.get(r.corrects)?.correctedBy.push(r.id);
  return [...reports.values()];
}

/** Current reports: a corrected report is superseded by its correction. */
export const currentReports = (all: readonly ReportView[]): ReportView[] => all.filter((r) => r.correctedBy.length === 0);

export const succeeded = (r: ReportView): boolean => r.outcome === 'works' || r.outcome === 'works-with-changes';

export function meets(c: PerformanceCriterion, value: number): boolean {
  return c.comparison === '>=' ? value >= c.target : value <= c.target;
}

export interface BuildSummary {
  builds: number;
  successful: number;
  successRate: number | null;
  independent: number;
  regions: string[];
  performance: Array<PerformanceCriterion & { measured: number; min: number | null; max: number | null; met: number; metIndependent: number }>;
  latest: ReportView[];
}

/** What a design page shows: counts, regions, success rate, measured range beside each claim. */
export function summarizeBuilds(reports: readonly ReportView[], criteria: readonly PerformanceCriterion[], owners: readonly string[], latest = 5): BuildSummary {
  const cur = currentReports(reports);
  const ok = cur.filter(succeeded);
  const indep = ok.filter((r) => !owners.includes(r.reporter));
  return {
    builds: cur.length,
    successful: ok.length,
    successRate: cur.length ? Math.round((100 * ok.length) / cur.length) : null,
    independent: new Set(indep.map((r) => r.reporter)).size,
    regions: [...new Set(cur.map((r) => r.region))].sort(),
    performance: criteria.map((c) => {
      const vals = cur.map((r) => ({ r, v: r.measurements[c.id] })).filter((x): x is { r: ReportView; v: number } => typeof x.v === 'number');
      return {
        ...c,
        measured: vals.length,
        min: vals.length ? Math.min(...vals.map((x) => x.v)) : null,
        max: vals.length ? Math.max(...vals.map((x) => x.v)) : null,
        met: vals.filter((x) => meets(c, x.v)).length,
        metIndependent: vals.filter((x) => succeeded(x.r) && !owners.includes(x.r.reporter) && meets(c, x.v)).length,
      };
    }),
    latest: [...cur].reverse().slice(0, latest),
  };
}

/** Who may use the certified mark of a version: its owners, and producers whose successful report an owner endorsed. */
export function markHolders(reports: readonly ReportView[], owners: readonly string[]): { owners: string[]; producers: string[] } {
  const producers = new Set<string>();
  for (const r of currentReports(reports)) {
    if (succeeded(r) && r.endorsedBy.some((e) => owners.includes(e)) && !owners.includes(r.reporter)) producers.add(r.reporter);
  }
  return { owners: [...owners].sort(), producers: [...producers].sort() };
}

export const buildsPath = (pkg: string, version: string): string => `builds/${pkg}/${version}.jsonl`;
