/**
 * Demand pledges and the public demand aggregate. The public never sees who pledged: the
 * aggregate has counts, units and ceiling distributions only; an account sees its own pledges.
 */
import { OhwError } from '../../../schema/errors.ts';
import { explode } from '../../../schema/bom/explode.ts';
import { aggregateDemand } from '../../domain/production/demand.ts';
import { isOverdue } from '../../domain/production/runs.ts';
import { parsePledge } from '../../domain/production/pledges.ts';
import type { Pledge } from '../../store/production-port.ts';
import type { Actor, Deps } from '../deps.ts';
import { resolveDesignTree } from '../resolve-dependencies.ts';
import { usableVersion } from './versions.ts';

const view = (p: Pledge) => ({
  id: p.id, package: p.pkg, version: p.version, region: p.region, quantity: p.quantity,
  maxUnitPrice: p.maxUnitPrice, currency: p.currency, neededBy: p.neededBy, status: p.status,
  createdAt: p.createdAt, updatedAt: p.updatedAt,
});

/** POST /designs/:owner/:name/pledges */
export async function createPledge(deps: Deps, actor: Actor, rawPkg: string, body: unknown) {
  const input = parsePledge(body);
  const v = await usableVersion(deps, rawPkg, input.version);
  const p = await deps.production.createPledge({
    account: actor.name, pkg: v.pkg, version: v.record.version, region: input.region, quantity: input.quantity,
    maxUnitPrice: input.maxUnitPrice ?? null, currency: input.currency ?? null, neededBy: input.neededBy ?? null,
  }, deps.now().toISOString());
  return view(p);
}

async function ownPledge(deps: Deps, actor: Actor, id: string): Promise<Pledge> {
  const p = await deps.production.getPledge(id);
  // Another account's pledge answers like a missing one: pledger identities stay private.
  if (!p || p.account !== actor.name) throw new OhwError('NOT_FOUND', `pledge ${id} not found among your pledges`);
  if (p.status !== 'active') throw new OhwError('CONFLICT', `pledge ${id} was withdrawn; make a new one`);
  return p;
}

/** PUT /pledges/:id — the same fields as a new pledge; the region may move (one active per region still holds). */
export async function updatePledge(deps: Deps, actor: Actor, id: string, body: unknown) {
  const p = await ownPledge(deps, actor, id);
  const input = parsePledge(body);
  const version = input.version !== undefined ? (await usableVersion(deps, p.pkg, input.version)).record.version : p.version;
  const updated = await deps.production.updatePledge(id, {
    region: input.region, quantity: input.quantity, version,
    maxUnitPrice: input.maxUnitPrice ?? null, currency: input.currency ?? null, neededBy: input.neededBy ?? null,
  }, deps.now().toISOString());
  return view(updated);
}

/** DELETE /pledges/:id */
export async function withdrawPledge(deps: Deps, actor: Actor, id: string) {
  await ownPledge(deps, actor, id);
  return view(await deps.production.withdrawPledge(id, deps.now().toISOString()));
}

/** GET /pledges — the caller's pledges, with the runs in their regions and the ones they committed to. */
export async function myPledges(deps: Deps, actor: Actor) {
  const pledges = await deps.production.pledgesOf(actor.name);
  const committed = await deps.production.runsOf({ committedBy: actor.name });
  const out = [];
  for (const p of pledges) {
    const runs = p.status === 'active'
      ? (await deps.production.runsOf({ pkg: p.pkg })).filter((r) => r.region === p.region || p.region.startsWith(`${r.region}-`))
      : [];
    // An open run past its deadline is expired (recorded as such when it is next opened).
    out.push({ ...view(p), runs: runs.map((r) => ({ id: r.id, state: isOverdue(r.state, r.deadline, deps.now()) ? 'expired' : r.state, unitPrice: r.unitPrice, currency: r.currency, deadline: r.deadline, committed: committed.some((c) => c.id === r.id) })) });
  }
  return { pledges: out };
}

/** GET /designs/:owner/:name/demand — per region: pledgers, units, ceilings, unit cost, next price break. */
export async function demandOf(deps: Deps, rawPkg: string) {
  const v = await usableVersion(deps, rawPkg);
  const data = await deps.production.demand(v.pkg);
  let bom;
  try {
    bom = explode(await resolveDesignTree(deps, v.pkg, v.record.version, v.manifest));
  } catch (e) {
    // A BOM that cannot be resolved any more (a sub-assembly gone) still shows the demand.
    deps.log(`demand of ${v.pkg}: no cost curve: ${(e as Error).message}`);
  }
  return {
    package: v.pkg,
    version: v.record.version,
    regions: aggregateDemand(data.rows, data.ceilings, bom),
  };
}
