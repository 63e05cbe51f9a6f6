/**
 * Facility profiles and "who can make this near me" (SPEC §9). Profiles are rows in the
 * operational database; matching and ranking are the pure rules in server/domain/production.
 */
import { OhwError } from '../../../schema/errors.ts';
import { FACILITY_LEVELS, PROCESS_CODES, type FacilityLevel, type ProcessCode } from '../../../schema/types.ts';
import { capableByRegion, rankProducers, requirementsOf, type RankOptions } from '../../domain/production/match.ts';
import {
  MAX_FACILITIES_PER_ACCOUNT, parseProfile, publicProfile, requireFacilityId, servedRegions, type StoredProfile,
} from '../../domain/production/profile.ts';
import { boundingBox, parsePoint, requireRegion } from '../../domain/production/regions.ts';
import type { ProfileQuery } from '../../store/production-port.ts';
import type { Actor, Deps } from '../deps.ts';
import { refreshOffersOf } from './offers.ts';
import { splitSpec, usableVersion } from './versions.ts';
import { isAdmin } from '../../domain/policy.ts';


function mayEdit(actor: Actor, account: string): void {
  if (actor.name !== account && !isAdmin(actor)) throw new OhwError('FORBIDDEN', `only ${account} can change its facility profiles`);
}

/** PUT /producers/:account/:facility */
export async function putProfile(deps: Deps, actor: Actor, account: string, facility: string, body: unknown) {
  requireFacilityId(facility);
  mayEdit(actor, account);
  if (!(await deps.accounts.get(account))) throw new OhwError('NOT_FOUND', `account ${account} not found`);
  const profile = parseProfile(body);
  const existing = await deps.production.getProfile(account, facility);
  if (!existing && (await deps.production.listProfiles({ account })).length >= MAX_FACILITIES_PER_ACCOUNT) {
    throw new OhwError('CONFLICT', `${account} already has ${MAX_FACILITIES_PER_ACCOUNT} facilities, the limit; remove one first`);
  }
  const stored: StoredProfile = { ...profile, account, facility, updatedAt: deps.now().toISOString() };
  const { created } = await deps.production.putProfile(stored, servedRegions(stored));
  return { created, profile: publicProfile(stored, actor.name) };
}

/** GET /producers/:account/:facility — the contact only for the owner and the accounts it names. */
export async function readProfile(deps: Deps, viewer: Actor | undefined, account: string, facility: string) {
  const p = await deps.production.getProfile(account, facility);
  if (!p) throw new OhwError('NOT_FOUND', `facility ${account}/${facility} not found`);
  const offers = (await deps.production.offersOf({ account })).filter((o) => o.facility === facility)
    .map((o) => ({ package: o.pkg, ...o.offer }));
  return { ...publicProfile(p, viewer?.name), offers };
}

/** GET /producers?account= — an account's facilities (for `ohw producer show`). */
export async function profilesOf(deps: Deps, viewer: Actor | undefined, account: string) {
  return (await deps.production.listProfiles({ account })).map((p) => publicProfile(p, viewer?.name));
}

export async function deleteProfile(deps: Deps, actor: Actor, account: string, facility: string) {
  mayEdit(actor, account);
  const offers = (await deps.production.offersOf({ account })).filter((o) => o.facility === facility);
  if (!(await deps.production.deleteProfile(account, facility))) throw new OhwError('NOT_FOUND', `facility ${account}/${facility} not found`);
  await refreshOffersOf(deps, [...new Set(offers.map((o) => o.pkg))]);
  return { deleted: `${account}/${facility}` };
}

export interface FindParams { near?: unknown; radiusKm?: unknown; region?: unknown; process?: unknown; canMake?: unknown; limit?: unknown }

const one = (v: unknown, name: string): string | undefined => {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new OhwError('INVALID_REQUEST', `${name}: give it once, as text`);
  return v;
};

function rankOptions(q: FindParams): { opts: RankOptions; query: ProfileQuery } {
  const opts: RankOptions = {};
  const query: ProfileQuery = {};
  const near = one(q.near, 'near');
  if (near !== undefined) opts.near = parsePoint(near, 'near');
  const radius = one(q.radiusKm, 'radiusKm');
  if (radius !== undefined) {
    const r = Number(radius);
    if (!/^\d+(\.\d+)?$/.test(radius) || !(r > 0 && r <= 20_000)) throw new OhwError('INVALID_REQUEST', `radiusKm: a distance in km, 0 < radiusKm ≤ 20000 (got ${JSON.stringify(radius)})`);
    if (!opts.near) throw new OhwError('INVALID_REQUEST', 'radiusKm needs near=LAT,LON');
    opts.radiusKm = r;
    query.box = boundingBox(opts.near, r);
  }
  const region = one(q.region, 'region');
  if (region !== undefined) query.region = opts.region = requireRegion(region, 'region');
  const limit = one(q.limit, 'limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1 || n > 500) throw new OhwError('INVALID_REQUEST', `limit: 1..500 (got ${JSON.stringify(limit)})`);
    opts.limit = n;
  }
  return { opts, query };
}

/** GET /producers?near=&radiusKm=&region=&process=&canMake=owner/name[@version] */
export async function findProducers(deps: Deps, q: FindParams) {
  const { opts, query } = rankOptions(q);
  const process = one(q.process, 'process');
  const processes = process?.split(',').map((p) => p.trim().toUpperCase()).filter(Boolean) ?? [];
  const unknown = processes.filter((p) => !(PROCESS_CODES as readonly string[]).includes(p));
  if (unknown.length) throw new OhwError('INVALID_REQUEST', `process: unknown process code ${unknown.join(', ')}; allowed: ${PROCESS_CODES.join(', ')}`, { details: { allowed: [...PROCESS_CODES] } });
  const canMake = one(q.canMake, 'canMake');
  let req;
  let design: { package: string; version: string } | undefined;
  if (canMake) {
    const spec = splitSpec(canMake);
    const v = await usableVersion(deps, spec.pkg, spec.version);
    req = requirementsOf(v.manifest);
    design = { package: v.pkg, version: v.record.version };
  }
  let profiles = await deps.production.listProfiles(query);
  if (processes.length) profiles = profiles.filter((p) => processes.every((c) => (p.processes as string[]).includes(c)));
  const producers = rankProducers(profiles, req, opts);
  return design ? { design, producers } : { producers };
}

/** GET /designs/:owner/:name/producers — who can make this design near a place, with counts per region. */
export async function designProducers(deps: Deps, rawPkg: string, q: FindParams & { version?: unknown }) {
  const { opts, query } = rankOptions(q);
  const v = await usableVersion(deps, rawPkg, one(q.version, 'version'));
  const req = requirementsOf(v.manifest);
  const all = await deps.production.listProfiles(query);
  const producers = rankProducers(all, req, opts);
  const byKey = new Map(all.map((p) => [`${p.account}/${p.facility}`, p]));
  const requirements = { processes: req.processes, tools: req.tools.map((t) => t.text), facilityLevel: req.facilityLevel ?? null, largestPart: req.largestPart ?? null };
  return { design: { package: v.pkg, version: v.record.version }, requirements, producers, capableByRegion: capableByRegion(producers, byKey) };
}

/**
 * `?producer=account[/facility]` on search: what that producer can make. The union of the named
 * facilities' processes becomes `canMake`, their highest facility level `facility`. Tools are not
 * applied: search compares tools exactly, and a profile's tools are matched leniently only in
 * `GET /designs/:o/:n/producers`.
 */
export async function producerFilters(deps: Deps, raw: unknown): Promise<{ canMake: ProcessCode[]; facility: FacilityLevel }> {
  const spec = one(raw, 'producer');
  const m = spec ? /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/([a-z0-9]+(?:-[a-z0-9]+)*))?$/.exec(spec) : null;
  if (!m) throw new OhwError('INVALID_REQUEST', `producer: give account or account/facility (got ${JSON.stringify(raw)})`);
  const profiles = (await deps.production.listProfiles({ account: m[1]! })).filter((p) => !m[2] || p.facility === m[2]);
  if (!profiles.length) throw new OhwError('NOT_FOUND', `producer ${spec} has no facility profile`);
  const canMake = [...new Set(profiles.flatMap((p) => p.processes))].sort();
  const facility = FACILITY_LEVELS[Math.max(...profiles.map((p) => FACILITY_LEVELS.indexOf(p.facilityLevel)))]!;
  return { canMake, facility };
}
