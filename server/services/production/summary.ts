/**
 * What the design's derived views (package read, search document) show of the production
 * network: builds across every version, and the offered product levels. Read-only; called by
 * server/services/derived-views.ts and package-read.ts when they recompute a design.
 */
import { buildsPath, parseLines, performanceOf, replayBuilds, summarizeBuilds, type ReportView } from '../../domain/production/builds.ts';
import { latestVisible } from '../../domain/visible-versions.ts';
import type { Deps } from '../deps.ts';

/** Builds across every version of a design, for the package read and the search document. */
export async function buildsSummaryOf(deps: Deps, pkg: string) {
  const paths = await deps.index.list(`builds/${pkg}/`);
  const all: Array<ReportView & { version: string }> = [];
  for (const path of paths) {
    const version = path.slice(`builds/${pkg}/`.length, -'.jsonl'.length);
    for (const r of replayBuilds(parseLines(await deps.index.read(path)))) all.push({ ...r, version });
  }
  if (!all.length) return undefined;
  const [versions, state] = await Promise.all([deps.designs.versions(pkg), deps.designs.state(pkg)]);
  const latest = latestVisible(versions, state);
  const criteria = latest ? performanceOf(await deps.manifests.get(pkg, latest.version)) : [];
  all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const s = summarizeBuilds(all, criteria, state.owners);
  return { ...s, latest: s.latest.map((r) => ({ id: r.id, version: (r as ReportView & { version: string }).version, at: r.at, reporter: r.reporter, outcome: r.outcome, region: r.region })) };
}

/** Offered levels of a design (search facet `offers`). */
export async function offerLevelsOf(deps: Deps, pkg: string): Promise<string[]> {
  return [...new Set((await deps.production.offersOf({ pkg })).map((o) => o.level))].sort();
}

/** The `production` part of the package read. */
export async function productionOfDesign(deps: Deps, pkg: string) {
  const offers = await deps.production.offersOf({ pkg });
  const byLevel: Record<string, number> = {};
  for (const o of offers) byLevel[o.level] = (byLevel[o.level] ?? 0) + 1;
  return { builds: (await buildsSummaryOf(deps, pkg)) ?? null, offers: byLevel };
}

