import type { Deps } from './deps.ts';

export interface CertificationSummary { state: string; uid?: string; version: string }

/** The most relevant certification of a design, for package reads and search documents. */
export async function certificationSummary(_deps: Deps, _pkg: string): Promise<CertificationSummary | undefined> {
  return undefined;
}
