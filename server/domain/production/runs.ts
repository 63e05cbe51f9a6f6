/**
 * Community production runs (Community Supported Manufacturing): a producer opens a run of one
 * design version in a region at a unit price; pledges in that region whose ceiling covers the
 * price count toward its minimum, and pledgers commit. The state machine:
 *
 *   open ──funded (committed ≥ minimum)──▶ funded ──start──▶ in-production ──deliver──▶ delivered
 *   open ──expire (deadline passed)──▶ expired
 *   open ──cancel──▶ cancelled
 *
 * Anything else is INVALID_TRANSITION naming the state and what it allows.
 */
import { OhwError } from '../../../schema/errors.ts';
import { isCurrency } from '../../../schema/manifest/iso-codes.ts';
import { bodyChecker, CURRENCY, ISO_DATE, text } from './body.ts';
import { requireRegion } from './regions.ts';

export const RUN_STATES = ['open', 'funded', 'in-production', 'delivered', 'expired', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const RUN_ACTIONS = ['fund', 'start', 'deliver', 'expire', 'cancel'] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

const TRANSITIONS: Record<RunState, Partial<Record<RunAction, RunState>>> = {
  open: { fund: 'funded', expire: 'expired', cancel: 'cancelled' },
  funded: { start: 'in-production' },
  'in-production': { deliver: 'delivered' },
  delivered: {},
  expired: {},
  cancelled: {},
};

export function nextState(from: RunState, action: RunAction): RunState {
  const to = TRANSITIONS[from][action];
  if (!to) {
    const allowed = Object.keys(TRANSITIONS[from]);
    throw new OhwError('INVALID_TRANSITION', `a run that is ${from} cannot ${action}${allowed.length ? ` (it can: ${allowed.join(', ')})` : ' (it is final)'}`, {
      details: { state: from, action, allowed },
    });
  }
  return to;
}

/** An open run past its deadline is expired, whoever looks first. */
export function isOverdue(state: RunState, deadline: string, now: Date): boolean {
  return state === 'open' && now.toISOString().slice(0, 10) > deadline;
}

export interface RunInput {
  package: string;
  version: string;
  region: string;
  facility?: string;
  minQuantity: number;
  unitPrice: number;
  currency: string;
  deadline: string;
}

const checkRun = bodyChecker<RunInput>('run', {
  type: 'object',
  additionalProperties: false,
  required: ['package', 'version', 'region', 'minQuantity', 'unitPrice', 'currency', 'deadline'],
  properties: {
    package: text(130), version: text(64), region: text(8), facility: text(64),
    minQuantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    unitPrice: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
    currency: CURRENCY,
    deadline: { type: 'string', pattern: ISO_DATE },
  },
});

export function parseRun(body: unknown, now: Date): RunInput {
  const b = checkRun(body);
  const currency = b.currency.toUpperCase();
  if (!isCurrency(currency)) throw new OhwError('INVALID_REQUEST', `currency: ${b.currency} is not an ISO 4217 code`);
  if (Number.isNaN(Date.parse(b.deadline))) throw new OhwError('INVALID_REQUEST', `deadline: ${b.deadline} is not a date`);
  if (b.deadline < now.toISOString().slice(0, 10)) throw new OhwError('INVALID_REQUEST', `deadline: ${b.deadline} has passed`);
  return { ...b, region: requireRegion(b.region, 'region'), currency };
}

/** Whether a pledge's ceiling covers a run's price: no ceiling covers any price; another currency never does. */
export function ceilingCovers(pledge: { maxUnitPrice: number | null; currency: string | null }, run: { unitPrice: number; currency: string }): boolean {
  if (pledge.maxUnitPrice === null) return true;
  return pledge.currency === run.currency && pledge.maxUnitPrice >= run.unitPrice;
}
