import type { Deps } from './deps.ts';
import { certificationsOf } from './certification-records.ts';

export interface CertificationSummary { id: string; state: string; uid?: string; version: string; maturity?: { documentation: 'ODRL-3*' } }

/**
 * The certification that speaks for a design: a holding certificate if there is one (the
 * newest), else the newest request. While certified, documentation maturity reads `ODRL-3*`.
 */
export async function certificationSummary(deps: Deps, pkg: string): Promise<CertificationSummary | undefined> {
  const all = await certificationsOf(deps, pkg);
  const pick = all.find((c) => c.state === 'certified') ?? all[0];
  if (!pick) return undefined;
  const summary: CertificationSummary = { id: pick.id, state: pick.state, version: pick.version };
  if (pick.uid) summary.uid = pick.uid;
  if (pick.state === 'certified') summary.maturity = { documentation: 'ODRL-3*' };
  return summary;
}
