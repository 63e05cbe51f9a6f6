/**
 * Offers at the product levels. Rows in the database; the design's package read and search
 * document show them, so a change refreshes the design's derived views.
 */
import { OhwError } from '../../../schema/errors.ts';
import { parseOffer } from '../../domain/production/offers.ts';
import { requireFacilityId } from '../../domain/production/profile.ts';
import type { Actor, Deps } from '../deps.ts';
import { announce, refreshDerived } from '../derived-views.ts';
import { usableVersion } from './versions.ts';

/** PUT /producers/:account/:facility/offers/:owner/:name */
export async function putOffer(deps: Deps, actor: Actor, account: string, facility: string, rawPkg: string, body: unknown) {
  requireFacilityId(facility);
  if (actor.name !== account) throw new OhwError('FORBIDDEN', `only ${account} can change its offers`);
  if (!(await deps.production.getProfile(account, facility))) throw new OhwError('NOT_FOUND', `facility ${account}/${facility} not found`);
  const v = await usableVersion(deps, rawPkg);
  const offer = parseOffer(body, v.manifest.productLevels);
  for (const ver of offer.versions ?? []) await usableVersion(deps, v.pkg, ver);
  await announce(deps, v.pkg);
  await deps.production.putOffer({ account, facility, pkg: v.pkg, level: offer.level, offer: { ...offer }, updatedAt: deps.now().toISOString() });
  await refreshDerived(deps, v.pkg, `offers of ${v.pkg}`);
  return { account, facility, package: v.pkg, ...offer };
}

export async function deleteOffer(deps: Deps, actor: Actor, account: string, facility: string, rawPkg: string, level: unknown) {
  if (actor.name !== account) throw new OhwError('FORBIDDEN', `only ${account} can change its offers`);
  const v = await usableVersion(deps, rawPkg).catch(() => ({ pkg: rawPkg }));
  const n = await deps.production.deleteOffer(account, facility, v.pkg, typeof level === 'string' ? level : undefined);
  if (!n) throw new OhwError('NOT_FOUND', `no offer of ${v.pkg} from ${account}/${facility}`);
  await refreshOffersOf(deps, [v.pkg]);
  return { deleted: n };
}

export async function refreshOffersOf(deps: Deps, pkgs: string[]): Promise<void> {
  for (const pkg of pkgs) {
    await announce(deps, pkg);
    await refreshDerived(deps, pkg, `offers of ${pkg}`);
  }
}

/** GET /designs/:owner/:name/offers — by level. */
export async function offersOfDesign(deps: Deps, rawPkg: string) {
  const v = await usableVersion(deps, rawPkg).catch(async (e) => {
    if (e instanceof OhwError && e.code === 'CONFLICT') return { pkg: rawPkg };
    throw e;
  });
  const offers = await deps.production.offersOf({ pkg: v.pkg });
  const byLevel: Record<string, unknown[]> = { product: [], production: [], distribution: [] };
  for (const o of offers) byLevel[o.level]?.push({ account: o.account, facility: o.facility, ...o.offer });
  return { package: v.pkg, offers: byLevel };
}
