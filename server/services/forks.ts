import type { Deps } from './deps.ts';
import { parseIndexLines, type IndexPackage } from '../domain/index-entry.ts';

export interface ForkSummary { package: string; forkOf: NonNullable<IndexPackage['forkOf']>; versions: number }

/** The forks of `pkg`: found through the stored rows (an indexed column), described from the index. */
export async function listForks(deps: Deps, pkg: string): Promise<ForkSummary[]> {
  const out: ForkSummary[] = [];
  for (const fork of await deps.derived.forksOf(pkg)) {
    const meta = JSON.parse((await deps.index.read(`designs/${fork}.json`)) ?? '{}') as Partial<IndexPackage>;
    if (!meta.forkOf) continue;
    const lines = parseIndexLines((await deps.index.read(`designs/${fork}.jsonl`)) ?? '');
    out.push({ package: fork, forkOf: meta.forkOf, versions: lines.length });
  }
  return out;
}
