import type { Deps } from './deps.ts';
import { parseIndexLines, type IndexPackage } from '../domain/index-entry.ts';

export interface ForkSummary { package: string; forkOf: NonNullable<IndexPackage['forkOf']>; versions: number }

/** upstream → forks (ServiceState.forksByUpstream), so a package read does not scan every design. */
function forkMap(deps: Deps): Promise<Map<string, Set<string>>> {
  deps.state.forksByUpstream ??= (async () => {
    const byUpstream = new Map<string, Set<string>>();
    for (const path of (await deps.index.list('designs/')).filter((p) => p.endsWith('.json'))) {
      const meta = JSON.parse((await deps.index.read(path)) ?? '{}') as Partial<IndexPackage>;
      if (meta.forkOf && meta.package) addTo(byUpstream, meta.forkOf.package, meta.package);
    }
    return byUpstream;
  })();
  return deps.state.forksByUpstream;
}

function addTo(map: Map<string, Set<string>>, upstream: string, fork: string): void {
  const set = map.get(upstream) ?? new Set<string>();
  set.add(fork);
  map.set(upstream, set);
}

export async function noteFork(deps: Deps, upstream: string, fork: string): Promise<void> {
  addTo(await forkMap(deps), upstream, fork);
}

export async function listForks(deps: Deps, pkg: string): Promise<ForkSummary[]> {
  const forks = [...((await forkMap(deps)).get(pkg) ?? [])].sort();
  const out: ForkSummary[] = [];
  for (const fork of forks) {
    const meta = JSON.parse((await deps.index.read(`designs/${fork}.json`)) ?? '{}') as Partial<IndexPackage>;
    if (!meta.forkOf) continue;
    const lines = parseIndexLines((await deps.index.read(`designs/${fork}.jsonl`)) ?? '');
    out.push({ package: fork, forkOf: meta.forkOf, versions: lines.length });
  }
  return out;
}
