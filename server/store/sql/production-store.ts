/**
 * SQLite adapter of the production network's port. Queries through Kysely only; every write that
 * acknowledges a user action commits before the answer (the database runs synchronous=FULL).
 * The one-active-pledge rule is the partial unique index `pledges_one_active`; a run's funding
 * and its transition row are written in the same transaction as the commitment that reaches it.
 */
import { randomBytes } from 'node:crypto';
import { OhwError } from '../../../schema/errors.ts';
import type { StoredProfile } from '../../domain/production/profile.ts';
import type { RunState } from '../../domain/production/runs.ts';
import type { DemandData, Pledge, ProductionStore, ProfileQuery, Run, RunTransition, StoredOffer } from '../production-port.ts';
import type { Database } from './database.ts';
import { isUniqueViolation } from './errors.ts';
import type { ProductionTables } from './tables/production.ts';

type PledgeRow = ProductionTables['pledges'];
type RunRow = ProductionTables['production_runs'];

const newId = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

const toPledge = (r: PledgeRow): Pledge => ({
  id: r.id, account: r.account, pkg: r.pkg, version: r.version, region: r.region, quantity: r.quantity,
  maxUnitPrice: r.max_unit_price, currency: r.currency, neededBy: r.needed_by,
  status: r.status as Pledge['status'], createdAt: r.created_at, updatedAt: r.updated_at,
});

const toRun = (r: RunRow): Run => ({
  id: r.id, producer: r.producer, facility: r.facility, pkg: r.pkg, version: r.version, region: r.region,
  minQuantity: r.min_quantity, unitPrice: r.unit_price, currency: r.currency, deadline: r.deadline,
  state: r.state as RunState, createdAt: r.created_at, updatedAt: r.updated_at,
});

const secondPledge = (pkg: string, region: string) =>
  new OhwError('CONFLICT', `you already have an active pledge for ${pkg} in ${region}: edit it (PUT /pledges/:id, \`ohw pledge … --qty N\`) or withdraw it first`);

export class SqlProductionStore implements ProductionStore {
  /**
   * Parsed profiles by `account/facility`, loaded once and kept current by this store's writes
   * (one server per data dir): matching reads thousands of profiles per request, and parsing
   * their JSON each time cost more than the matching. Queries still select keys in SQL (indexes).
   */
  #profiles?: Map<string, StoredProfile>;

  constructor(private readonly db: Database) {}

  private get k() { return this.db.kysely; }

  async #cache(): Promise<Map<string, StoredProfile>> {
    if (!this.#profiles) {
      const rows = await this.k.selectFrom('producer_profiles').select(['account', 'facility', 'profile_json']).execute();
      this.#profiles = new Map(rows.map((r) => [`${r.account}/${r.facility}`, Object.freeze(JSON.parse(r.profile_json)) as StoredProfile]));
    }
    return this.#profiles;
  }

  async putProfile(p: StoredProfile, served: string[]): Promise<{ created: boolean }> {
    const result = await this.k.transaction().execute(async (trx) => {
      const existed = await trx.selectFrom('producer_profiles').select('account').where('account', '=', p.account).where('facility', '=', p.facility).executeTakeFirst();
      const row = {
        account: p.account, facility: p.facility, name: p.name, country: p.location.country, region: p.location.region ?? null,
        lat: p.location.lat ?? null, lon: p.location.lon ?? null, facility_level: p.facilityLevel,
        profile_json: JSON.stringify(p), updated_at: p.updatedAt,
      };
      if (existed) {
        await trx.updateTable('producer_profiles').set(row).where('account', '=', p.account).where('facility', '=', p.facility).execute();
        await trx.deleteFrom('producer_regions').where('account', '=', p.account).where('facility', '=', p.facility).execute();
      } else {
        await trx.insertInto('producer_profiles').values(row).execute();
      }
      if (served.length) await trx.insertInto('producer_regions').values(served.map((region) => ({ account: p.account, facility: p.facility, region }))).execute();
      return { created: !existed };
    });
    (await this.#cache()).set(`${p.account}/${p.facility}`, Object.freeze(structuredClone(p)));
    return result;
  }

  async getProfile(account: string, facility: string): Promise<StoredProfile | undefined> {
    return (await this.#cache()).get(`${account}/${facility}`);
  }

  async listProfiles(q: ProfileQuery = {}): Promise<StoredProfile[]> {
    const cache = await this.#cache();
    // Unfiltered: every profile, in no particular order (ranking orders them).
    if (!q.account && !q.box && !q.region) return [...cache.values()];
    let query = this.k.selectFrom('producer_profiles as p').select(['p.account', 'p.facility']);
    if (q.account) query = query.where('p.account', '=', q.account);
    if (q.box) {
      query = query.where('p.lat', '>=', q.box.minLat).where('p.lat', '<=', q.box.maxLat).where('p.lon', '>=', q.box.minLon).where('p.lon', '<=', q.box.maxLon);
    }
    if (q.region) {
      // Served region equal to it, its country, or (for a country) one of its subdivisions: a join
      // that SQLite drives from the region index, so the cost follows the matches, not all rows.
      const region = q.region;
      const country = region.slice(0, 2);
      query = query
        .innerJoin('producer_regions as r', (j) => j.onRef('r.account', '=', 'p.account').onRef('r.facility', '=', 'p.facility'))
        .where((w) => w.or([
          w('r.region', '=', region),
          w('r.region', '=', country),
          ...(region.length === 2 ? [w.and([w('r.region', '>=', `${region}-`), w('r.region', '<', `${region}.`)])] : []),
        ]))
        .distinct();
    }
    const rows = await query.orderBy('p.account').orderBy('p.facility').execute();
    return rows.map((r) => cache.get(`${r.account}/${r.facility}`)).filter((p): p is StoredProfile => p !== undefined);
  }

  async deleteProfile(account: string, facility: string): Promise<boolean> {
    const r = await this.k.deleteFrom('producer_profiles').where('account', '=', account).where('facility', '=', facility).executeTakeFirst();
    (await this.#cache()).delete(`${account}/${facility}`);
    return Number(r.numDeletedRows) > 0;
  }

  async createPledge(p: Omit<Pledge, 'status' | 'createdAt' | 'updatedAt' | 'id'>, at: string): Promise<Pledge> {
    const row: PledgeRow = {
      id: newId('pl_'), account: p.account, pkg: p.pkg, version: p.version, region: p.region, quantity: p.quantity,
      max_unit_price: p.maxUnitPrice, currency: p.currency, needed_by: p.neededBy, status: 'active', created_at: at, updated_at: at,
    };
    try {
      await this.k.insertInto('pledges').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw secondPledge(p.pkg, p.region);
      throw e;
    }
    return toPledge(row);
  }

  async getPledge(id: string): Promise<Pledge | undefined> {
    const r = await this.k.selectFrom('pledges').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPledge(r) : undefined;
  }

  async updatePledge(id: string, change: Partial<Pick<Pledge, 'quantity' | 'maxUnitPrice' | 'currency' | 'neededBy' | 'region' | 'version'>>, at: string): Promise<Pledge> {
    const set: Partial<PledgeRow> = { updated_at: at };
    if (change.quantity !== undefined) set.quantity = change.quantity;
    if (change.maxUnitPrice !== undefined) set.max_unit_price = change.maxUnitPrice;
    if (change.currency !== undefined) set.currency = change.currency;
    if (change.neededBy !== undefined) set.needed_by = change.neededBy;
    if (change.region !== undefined) set.region = change.region;
    if (change.version !== undefined) set.version = change.version;
    try {
      await this.k.updateTable('pledges').set(set).where('id', '=', id).where('status', '=', 'active').execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw secondPledge((await this.getPledge(id))?.pkg ?? '', change.region ?? '');
      throw e;
    }
    return (await this.getPledge(id))!;
  }

  async withdrawPledge(id: string, at: string): Promise<Pledge> {
    await this.k.updateTable('pledges').set({ status: 'withdrawn', updated_at: at }).where('id', '=', id).execute();
    return (await this.getPledge(id))!;
  }

  async pledgesOf(account: string): Promise<Pledge[]> {
    const rows = await this.k.selectFrom('pledges').selectAll().where('account', '=', account).orderBy('created_at', 'desc').execute();
    return rows.map(toPledge);
  }

  async activePledge(account: string, pkg: string, region: string): Promise<Pledge | undefined> {
    const r = await this.k.selectFrom('pledges').selectAll()
      .where('account', '=', account).where('pkg', '=', pkg).where('region', '=', region).where('status', '=', 'active').executeTakeFirst();
    return r ? toPledge(r) : undefined;
  }

  async demand(pkg: string): Promise<DemandData> {
    const rows = await this.k.selectFrom('pledges')
      // One active pledge per account, design and region: the rows are the pledgers.
      .select((eb) => ['region', eb.fn.countAll<number>().as('pledgers'), eb.fn.sum<number>('quantity').as('units')])
      .where('pkg', '=', pkg).where('status', '=', 'active')
      .groupBy('region').execute();
    const prices = await this.k.selectFrom('pledges').select(['region', 'currency', 'max_unit_price'])
      .where('pkg', '=', pkg).where('status', '=', 'active').where('max_unit_price', 'is not', null)
      .orderBy('region').orderBy('currency').orderBy('max_unit_price').execute();
    const ceilings = new Map<string, Map<string, number[]>>();
    for (const p of prices) {
      const byCur = ceilings.get(p.region) ?? new Map<string, number[]>();
      ceilings.set(p.region, byCur);
      const list = byCur.get(p.currency ?? '') ?? [];
      byCur.set(p.currency ?? '', list);
      list.push(p.max_unit_price!);
    }
    return { rows: rows.map((r) => ({ region: r.region, pledgers: Number(r.pledgers), units: Number(r.units) })), ceilings };
  }

  async eligibleUnits(pkg: string, region: string, unitPrice: number, currency: string): Promise<{ pledges: number; units: number }> {
    const r = await this.k.selectFrom('pledges')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('quantity').as('units')])
      .where('pkg', '=', pkg).where('status', '=', 'active')
      .where((w) => w.or([w('region', '=', region), ...(region.length === 2 ? [w.and([w('region', '>=', `${region}-`), w('region', '<', `${region}.`)])] : [])]))
      .where((w) => w.or([w('max_unit_price', 'is', null), w.and([w('currency', '=', currency), w('max_unit_price', '>=', unitPrice)])]))
      .executeTakeFirst();
    return { pledges: Number(r?.n ?? 0), units: Number(r?.units ?? 0) };
  }

  async createRun(r: Omit<Run, 'id' | 'state' | 'createdAt' | 'updatedAt'>, actor: string, at: string): Promise<Run> {
    const row: RunRow = {
      id: newId('run_'), producer: r.producer, facility: r.facility, pkg: r.pkg, version: r.version, region: r.region,
      min_quantity: r.minQuantity, unit_price: r.unitPrice, currency: r.currency, deadline: r.deadline, state: 'open',
      created_at: at, updated_at: at,
    };
    await this.k.transaction().execute(async (trx) => {
      await trx.insertInto('production_runs').values(row).execute();
      await trx.insertInto('run_transitions').values({ run_id: row.id, seq: 1, from_state: null, to_state: 'open', action: 'open', actor, at }).execute();
    });
    return toRun(row);
  }

  async getRun(id: string): Promise<Run | undefined> {
    const r = await this.k.selectFrom('production_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRun(r) : undefined;
  }

  async runsOf(q: { pkg?: string; producer?: string; committedBy?: string }): Promise<Run[]> {
    let query = this.k.selectFrom('production_runs').selectAll();
    if (q.pkg) query = query.where('pkg', '=', q.pkg);
    if (q.producer) query = query.where('producer', '=', q.producer);
    if (q.committedBy) {
      const who = q.committedBy;
      query = query.where('id', 'in', (eb) => eb.selectFrom('run_commitments').select('run_id').where('account', '=', who));
    }
    return (await query.orderBy('created_at', 'desc').limit(500).execute()).map(toRun);
  }

  async transitions(runId: string): Promise<RunTransition[]> {
    const rows = await this.k.selectFrom('run_transitions').selectAll().where('run_id', '=', runId).orderBy('seq').execute();
    return rows.map((t) => ({ seq: t.seq, from: t.from_state as RunState | null, to: t.to_state as RunState, action: t.action, actor: t.actor, at: t.at }));
  }

  async committedUnits(runId: string): Promise<{ units: number; pledgers: number }> {
    const r = await this.k.selectFrom('run_commitments')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('units').as('units')])
      .where('run_id', '=', runId).executeTakeFirst();
    return { units: Number(r?.units ?? 0), pledgers: Number(r?.n ?? 0) };
  }

  async commitment(runId: string, account: string) {
    const r = await this.k.selectFrom('run_commitments').selectAll().where('run_id', '=', runId).where('account', '=', account).executeTakeFirst();
    return r ? { units: r.units, pledgeId: r.pledge_id, at: r.at } : undefined;
  }

  async commit(runId: string, account: string, pledge: Pledge, at: string): Promise<Run> {
    return this.k.transaction().execute(async (trx) => {
      const run = await trx.selectFrom('production_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
      if (run.state !== 'open') throw new OhwError('INVALID_TRANSITION', `run ${runId} is ${run.state}: commitments are taken while it is open`);
      try {
        await trx.insertInto('run_commitments').values({ run_id: runId, account, pledge_id: pledge.id, units: pledge.quantity, at }).execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw new OhwError('CONFLICT', `you have already committed to run ${runId}`);
        throw e;
      }
      const sum = await trx.selectFrom('run_commitments').select((eb) => eb.fn.sum<number>('units').as('units')).where('run_id', '=', runId).executeTakeFirst();
      if (Number(sum?.units ?? 0) >= run.min_quantity) {
        const last = await trx.selectFrom('run_transitions').select((eb) => eb.fn.max('seq').as('seq')).where('run_id', '=', runId).executeTakeFirst();
        await trx.updateTable('production_runs').set({ state: 'funded', updated_at: at }).where('id', '=', runId).execute();
        await trx.insertInto('run_transitions').values({ run_id: runId, seq: Number(last?.seq ?? 0) + 1, from_state: 'open', to_state: 'funded', action: 'fund', actor: 'registry', at }).execute();
      }
      return toRun(await trx.selectFrom('production_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow());
    });
  }

  async transition(runId: string, from: RunState, to: RunState, action: string, actor: string, at: string): Promise<Run> {
    return this.k.transaction().execute(async (trx) => {
      const r = await trx.updateTable('production_runs').set({ state: to, updated_at: at }).where('id', '=', runId).where('state', '=', from).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new OhwError('INVALID_TRANSITION', `run ${runId} is no longer ${from}`);
      const last = await trx.selectFrom('run_transitions').select((eb) => eb.fn.max('seq').as('seq')).where('run_id', '=', runId).executeTakeFirst();
      await trx.insertInto('run_transitions').values({ run_id: runId, seq: Number(last?.seq ?? 0) + 1, from_state: from, to_state: to, action, actor, at }).execute();
      return toRun(await trx.selectFrom('production_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow());
    });
  }

  async putOffer(o: StoredOffer): Promise<void> {
    await this.k.insertInto('producer_offers')
      .values({ account: o.account, facility: o.facility, pkg: o.pkg, level: o.level, offer_json: JSON.stringify(o.offer), updated_at: o.updatedAt })
      .onConflict((oc) => oc.columns(['account', 'facility', 'pkg', 'level']).doUpdateSet({ offer_json: JSON.stringify(o.offer), updated_at: o.updatedAt }))
      .execute();
  }

  async deleteOffer(account: string, facility: string, pkg: string, level?: string): Promise<number> {
    let q = this.k.deleteFrom('producer_offers').where('account', '=', account).where('facility', '=', facility).where('pkg', '=', pkg);
    if (level) q = q.where('level', '=', level);
    return Number((await q.executeTakeFirst()).numDeletedRows);
  }

  async offersOf(q: { pkg?: string; account?: string }): Promise<StoredOffer[]> {
    let query = this.k.selectFrom('producer_offers').selectAll();
    if (q.pkg) query = query.where('pkg', '=', q.pkg);
    if (q.account) query = query.where('account', '=', q.account);
    const rows = await query.orderBy('pkg').orderBy('level').orderBy('account').orderBy('facility').execute();
    return rows.map((r) => ({ account: r.account, facility: r.facility, pkg: r.pkg, level: r.level, offer: JSON.parse(r.offer_json) as Record<string, unknown>, updatedAt: r.updated_at }));
  }
}
