/**
 * Community production runs: open (a producer), commit (a pledger), start / deliver / cancel (the
 * run's producer). An open run past its deadline becomes `expired` when anyone touches it.
 */
import { OhwError } from '../../../schema/errors.ts';
import { ceilingCovers, isOverdue, nextState, parseRun, type RunAction } from '../../domain/production/runs.ts';
import { regionCovers } from '../../domain/production/regions.ts';
import type { Run } from '../../store/production-port.ts';
import type { Actor, Deps } from '../deps.ts';
import { usableVersion } from './versions.ts';

/** POST /runs — by an account with at least one facility profile. */
export async function openRun(deps: Deps, actor: Actor, body: unknown) {
  const input = parseRun(body, deps.now());
  const facilities = await deps.production.listProfiles({ account: actor.name });
  if (!facilities.length) throw new OhwError('FORBIDDEN', 'only producers open runs: create a facility profile first (`ohw producer set`)');
  if (input.facility && !facilities.some((f) => f.facility === input.facility)) {
    throw new OhwError('INVALID_REQUEST', `facility: ${actor.name} has no facility "${input.facility}" (has: ${facilities.map((f) => f.facility).join(', ')})`);
  }
  const v = await usableVersion(deps, input.package, input.version);
  const run = await deps.production.createRun({
    producer: actor.name, facility: input.facility ?? null, pkg: v.pkg, version: v.record.version, region: input.region,
    minQuantity: input.minQuantity, unitPrice: input.unitPrice, currency: input.currency, deadline: input.deadline,
  }, actor.name, deps.now().toISOString());
  return runView(deps, run, actor);
}

async function loadRun(deps: Deps, id: string): Promise<Run> {
  let run = await deps.production.getRun(id);
  if (!run) throw new OhwError('NOT_FOUND', `run ${id} not found`);
  if (isOverdue(run.state, run.deadline, deps.now())) {
    try {
      run = await deps.production.transition(id, 'open', 'expired', 'expire', 'registry', deps.now().toISOString());
    } catch (e) {
      if (!(e instanceof OhwError && e.code === 'INVALID_TRANSITION')) throw e;
      run = (await deps.production.getRun(id))!;
    }
  }
  return run;
}

/** A run as anyone sees it; who committed stays private (only counts, and the caller's own commitment). */
async function runView(deps: Deps, run: Run, viewer: Actor | undefined) {
  const committed = await deps.production.committedUnits(run.id);
  const eligible = await deps.production.eligibleUnits(run.pkg, run.region, run.unitPrice, run.currency);
  const mine = viewer ? await deps.production.commitment(run.id, viewer.name) : undefined;
  const transitions = (await deps.production.transitions(run.id)).map((t) => ({
    ...t,
    // Pledgers are not named: a transition caused by a commitment is the registry's.
    actor: t.actor === run.producer || t.actor === 'registry' ? t.actor : 'registry',
  }));
  return {
    id: run.id,
    package: run.pkg,
    version: run.version,
    producer: run.producer,
    facility: run.facility,
    region: run.region,
    minQuantity: run.minQuantity,
    unitPrice: run.unitPrice,
    currency: run.currency,
    deadline: run.deadline,
    state: run.state,
    committedUnits: committed.units,
    committedPledgers: committed.pledgers,
    eligibleUnits: eligible.units,
    ...(mine ? { yourCommitment: mine } : {}),
    transitions,
    createdAt: run.createdAt,
  };
}

export async function readRun(deps: Deps, viewer: Actor | undefined, id: string) {
  return runView(deps, await loadRun(deps, id), viewer);
}

/** POST /runs/:id/commit — binds the caller's active pledge in the run's region; its ceiling must cover the price. */
export async function commitToRun(deps: Deps, actor: Actor, id: string) {
  const run = await loadRun(deps, id);
  if (run.state !== 'open') nextState(run.state, 'fund');
  const pledges = (await deps.production.pledgesOf(actor.name))
    .filter((p) => p.status === 'active' && p.pkg === run.pkg && regionCovers(run.region, p.region));
  if (!pledges.length) throw new OhwError('CONFLICT', `you have no active pledge for ${run.pkg} in ${run.region}: pledge first (\`ohw pledge ${run.pkg} --region ${run.region} --qty N\`)`);
  const pledge = pledges.find((p) => ceilingCovers(p, run));
  if (!pledge) {
    const p = pledges[0]!;
    throw new OhwError('CONFLICT', `your pledge's ceiling (${p.maxUnitPrice} ${p.currency}) does not cover the run's price (${run.unitPrice} ${run.currency}); raise it (PUT /pledges/${p.id}) to commit`);
  }
  const updated = await deps.production.commit(run.id, actor.name, pledge, deps.now().toISOString());
  return runView(deps, updated, actor);
}

const ACTION_OF = { start: 'start', deliver: 'deliver', cancel: 'cancel' } as const satisfies Record<string, RunAction>;
export type ProducerAction = keyof typeof ACTION_OF;
export const PRODUCER_ACTIONS = Object.keys(ACTION_OF) as ProducerAction[];

/** POST /runs/:id/{start,deliver,cancel} — only the run's producer. */
export async function advanceRun(deps: Deps, actor: Actor, id: string, action: ProducerAction) {
  const run = await loadRun(deps, id);
  if (run.producer !== actor.name) throw new OhwError('FORBIDDEN', `only the run's producer (${run.producer}) can ${action} run ${id}`);
  const to = nextState(run.state, ACTION_OF[action]);
  const updated = await deps.production.transition(run.id, run.state, to, action, actor.name, deps.now().toISOString());
  return runView(deps, updated, actor);
}
