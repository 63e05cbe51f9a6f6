import type { Actor, Deps } from './deps.ts';
import { readCertification } from './certification.ts';

export type CertificationRead = Awaited<ReturnType<typeof readCertification>>;

/** Why `actor` cannot review this certification now, in words; undefined when they can. */
export function reviewBlocker(c: CertificationRead, actor: Actor): string | undefined {
  if (!actor.roles.includes('reviewer')) return 'reviewing needs the reviewer role, which an admin grants';
  if (c.owners.includes(actor.name)) return `you own ${c.package} (or its upstream), and no one reviews a design they own`;
  if (c.state === 'submitted' && !c.checksPassed) return 'it failed its automatic checks; the owner has to fix them and resubmit';
  if (c.state !== 'in-review' && c.state !== 'submitted') return `it is ${c.state}, not awaiting review`;
  const round = Math.max(0, ...c.reviews.map((r) => r.round));
  if (c.reviews.some((r) => r.reviewer === actor.name && r.round === round)) return 'you have already reviewed it in this round';
  return undefined;
}

/**
 * The reviewer's queue: certifications awaiting a review (in review, or submitted with passing
 * checks), oldest first, leaving out those the reviewer owns. Whether a review is accepted stays
 * the certification service's decision; this list only saves a reviewer the refusals.
 */
export async function reviewQueue(deps: Deps, actor: Actor): Promise<Array<CertificationRead & { reviewedByMe: boolean }>> {
  const out = [];
  for (const path of (await deps.index.list('certifications/')).sort()) {
    const id = path.slice('certifications/'.length, -'.jsonl'.length);
    const c = await readCertification(deps, id);
    const waiting = c.state === 'in-review' || (c.state === 'submitted' && c.checksPassed);
    if (!waiting || c.owners.includes(actor.name)) continue;
    out.push({ ...c, reviewedByMe: reviewBlocker(c, actor) !== undefined });
  }
  return out;
}
