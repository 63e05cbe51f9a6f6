import { describe, expect, it } from 'vitest';
import { ceilingCovers, isOverdue, nextState, parseRun, RUN_ACTIONS, RUN_STATES } from '../../../../server/domain/production/runs.ts';
import { parsePledge } from '../../../../server/domain/production/pledges.ts';
import { refusal } from '../../../helpers/refusal.ts';

describe('the run state machine', () => {
  it('goes open → funded → in-production → delivered, or open → expired | cancelled', () => {
    expect(nextState('open', 'fund')).toBe('funded');
    expect(nextState('funded', 'start')).toBe('in-production');
    expect(nextState('in-production', 'deliver')).toBe('delivered');
    expect(nextState('open', 'expire')).toBe('expired');
    expect(nextState('open', 'cancel')).toBe('cancelled');
  });

  it('refuses every other move with INVALID_TRANSITION naming what the state allows', () => {
    const allowed = new Set(['open:fund', 'open:expire', 'open:cancel', 'funded:start', 'in-production:deliver']);
    for (const s of RUN_STATES) {
      for (const a of RUN_ACTIONS) {
        if (allowed.has(`${s}:${a}`)) continue;
        refusal(() => nextState(s, a), 'INVALID_TRANSITION', new RegExp(`^a run that is ${s} cannot ${a}`));
      }
    }
    refusal(() => nextState('open', 'deliver'), 'INVALID_TRANSITION', 'a run that is open cannot deliver (it can: fund, expire, cancel)');
    refusal(() => nextState('delivered', 'cancel'), 'INVALID_TRANSITION', 'a run that is delivered cannot cancel (it is final)');
  });

  it('an open run is overdue the day after its deadline', () => {
    expect(isOverdue('open', '2026-03-01', new Date('2026-03-01T23:00:00Z'))).toBe(false);
    expect(isOverdue('open', '2026-03-01', new Date('2026-03-02T00:00:01Z'))).toBe(true);
    expect(isOverdue('funded', '2026-03-01', new Date('2026-04-01T00:00:00Z'))).toBe(false);
  });

  it('a ceiling covers a price in the same currency only; no ceiling covers any price', () => {
    expect(ceilingCovers({ maxUnitPrice: 500, currency: 'EUR' }, { unitPrice: 450, currency: 'EUR' })).toBe(true);
    expect(ceilingCovers({ maxUnitPrice: 400, currency: 'EUR' }, { unitPrice: 450, currency: 'EUR' })).toBe(false);
    expect(ceilingCovers({ maxUnitPrice: 900, currency: 'USD' }, { unitPrice: 450, currency: 'EUR' })).toBe(false);
    expect(ceilingCovers({ maxUnitPrice: null, currency: null }, { unitPrice: 450, currency: 'EUR' })).toBe(true);
  });
});

describe('run and pledge bodies', () => {
  const now = new Date('2026-01-10T00:00:00Z');
  const run = { package: 'ose/liberator-ceb-press', version: '1.2.0', region: 'de-be', minQuantity: 10, unitPrice: 4200, currency: 'eur', deadline: '2026-06-01' };

  it('normalise region and currency', () => {
    expect(parseRun(run, now)).toMatchObject({ region: 'DE-BE', currency: 'EUR' });
  });

  it('refuse quantities ≤ 0 or not whole, unknown currencies, past deadlines and unknown fields', () => {
    refusal(() => parseRun({ ...run, minQuantity: 0 }, now), 'INVALID_REQUEST', /minQuantity: must be >= 1/);
    refusal(() => parseRun({ ...run, minQuantity: 2.5 }, now), 'INVALID_REQUEST', /minQuantity: must be integer/);
    refusal(() => parseRun({ ...run, currency: 'XYZ' }, now), 'INVALID_REQUEST', 'currency: XYZ is not an ISO 4217 code');
    refusal(() => parseRun({ ...run, deadline: '2025-12-31' }, now), 'INVALID_REQUEST', 'deadline: 2025-12-31 has passed');
    refusal(() => parseRun({ ...run, state: 'funded' }, now), 'INVALID_REQUEST', /state: unknown property "state"/);
    refusal(() => parsePledge({ region: 'DE-BE', quantity: -1 }), 'INVALID_REQUEST', /quantity: must be >= 1/);
    refusal(() => parsePledge({ region: 'DE-BE', quantity: 1.5 }), 'INVALID_REQUEST', /quantity: must be integer/);
    refusal(() => parsePledge({ region: 'DE-BE', quantity: 2, maxUnitPrice: 400 }), 'INVALID_REQUEST', /a maxUnitPrice needs its currency/);
    refusal(() => parsePledge({ region: 'Berlin', quantity: 2 }), 'INVALID_REQUEST', /region: "Berlin" is not an ISO 3166-2 region/);
  });
});
