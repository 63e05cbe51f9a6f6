import { describe, expect, it } from 'vitest';
import { OhwError } from '../../../schema/errors.ts';
import { CERT_STATES, TRANSITIONS, assertTransition, canTransition, refuseTransition, type CertState } from '../../../schema/certification/states.ts';

/** SPEC §5, written out edge by edge (plus renewal of a certified or expired certificate). */
const ALLOWED: Array<[CertState, CertState]> = [
  ['submitted', 'in-review'],
  ['in-review', 'certified'], ['in-review', 'changes-requested'], ['in-review', 'rejected'],
  ['changes-requested', 'submitted'],
  ['certified', 'expired'], ['certified', 'suspended'], ['certified', 'revoked'], ['certified', 'withdrawn'], ['certified', 'certified'],
  ['suspended', 'certified'], ['suspended', 'revoked'],
  ['expired', 'certified'],
];

function refusal(from: CertState, to: CertState, action?: string): OhwError {
  try {
    assertTransition(from, to, action);
  } catch (e) {
    return e as OhwError;
  }
  throw new Error(`${from} → ${to} was allowed`);
}

describe('certification state machine', () => {
  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('allows nothing else', () => {
    const allowed = new Set(ALLOWED.map(([a, b]) => `${a}>${b}`));
    for (const from of CERT_STATES) for (const to of CERT_STATES) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(allowed.has(`${from}>${to}`));
    }
  });

  it.each([
    ['submitted', 'certified', 'in-review'],
    ['in-review', 'submitted', 'certified, changes-requested, rejected'],
    ['changes-requested', 'certified', 'submitted'],
    ['suspended', 'withdrawn', 'certified, revoked'],
    ['expired', 'revoked', 'certified'],
  ] as Array<[CertState, CertState, string]>)('refuses %s → %s naming the state and the allowed ones', (from, to, allowed) => {
    const e = refusal(from, to);
    expect(e).toBeInstanceOf(OhwError);
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.message).toBe(`cannot ${to} a certification that is ${from}; from ${from} the allowed next states are: ${allowed}`);
    expect(e.details).toEqual({ state: from, allowed: TRANSITIONS[from] });
  });

  it.each(['rejected', 'revoked', 'withdrawn'] as CertState[])('%s is final', (from) => {
    const e = refusal(from, 'certified', 'renew');
    expect(e.message).toBe(`cannot renew a certification that is ${from}; from ${from} the allowed next states are: none (final state)`);
  });

  it('uses the action verb in the message', () => {
    expect(refusal('withdrawn', 'suspended', 'suspend').message).toMatch(/^cannot suspend a certification that is withdrawn/);
    expect(() => refuseTransition('certified', 'reinstate')).toThrow('cannot reinstate a certification that is certified; from certified the allowed next states are: expired, suspended, revoked, withdrawn, certified');
  });
});
