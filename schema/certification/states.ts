import { OhwError } from '../errors.ts';

/**
 * The certification workflow (SPEC §5) as a pure state machine. Shared by the server, which
 * enforces it, and by `ohw certify verify`, which replays a record to check it followed the rules.
 */
export const CERT_STATES = [
  'submitted', 'in-review', 'certified', 'changes-requested', 'rejected',
  'expired', 'suspended', 'revoked', 'withdrawn',
] as const;
export type CertState = (typeof CERT_STATES)[number];

export const TRANSITIONS: Readonly<Record<CertState, readonly CertState[]>> = {
  submitted: ['in-review'],
  'in-review': ['certified', 'changes-requested', 'rejected'],
  'changes-requested': ['submitted'],
  certified: ['expired', 'suspended', 'revoked', 'withdrawn', 'certified'],
  suspended: ['certified', 'revoked'],
  expired: ['certified'],
  rejected: [],
  revoked: [],
  withdrawn: [],
};

export function canTransition(from: CertState, to: CertState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws 409 INVALID_TRANSITION naming the current state and the allowed next states. */
export function assertTransition(from: CertState, to: CertState, action: string = to): void {
  if (canTransition(from, to)) return;
  refuseTransition(from, action);
}

/** The INVALID_TRANSITION error for an action that the current state does not allow. */
export function refuseTransition(from: CertState, action: string): never {
  const allowed = TRANSITIONS[from];
  throw new OhwError('INVALID_TRANSITION',
    `cannot ${action} a certification that is ${from}; from ${from} the allowed next states are: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`,
    { details: { state: from, allowed } });
}

