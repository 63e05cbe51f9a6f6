import { describe, expect, it } from 'vitest';
import { appendEvent, certifiedMaturity, effectiveState, formatCertId, formatUid, lineHash, replay } from '../../../schema/certification/record.ts';
import { build, certified, checks, checklist, ev, join, lines, review, soundCertified, submitted } from './fixtures.ts';

const problemsOf = (text: string) => replay('CR-000001', text).problems;

describe('replay of sound records', () => {
  it('a certified record', () => {
    const { view, problems } = replay('CR-000001', soundCertified());
    expect(problems).toEqual([]);
    expect(view).toMatchObject({ id: 'CR-000001', package: 'alice/widget', version: '1.0.0', state: 'certified', quorum: 2, checksPassed: true, owners: ['alice'] });
    expect(view!.certificate!.uid).toBe('OHC-000001');
    expect(view!.reviews.map((r) => r.reviewer)).toEqual(['rev1', 'rev2']);
  });

  it('hash links: each event carries the hash of the line before it', () => {
    const ls = lines(soundCertified());
    expect(JSON.parse(ls[0]!).prev).toBeNull();
    for (let i = 1; i < ls.length; i++) expect(JSON.parse(ls[i]!).prev).toBe(lineHash(ls[i - 1]!));
    const { event } = appendEvent(soundCertified(), ev('revoked', 'admin', { reason: 'r' }));
    expect(event.seq).toBe(6);
  });

  it('failed checks keep a record submitted', () => {
    const { view, problems } = replay('CR-000001', build([submitted(), checks(false)]));
    expect(problems).toEqual([]);
    expect(view).toMatchObject({ state: 'submitted', checksPassed: false });
  });

  it('changes requested, resubmitted with a new version, certified in round 2', () => {
    const text = build([
      submitted(), checks(), review('rev1', 'changes'), ev('changes-requested', 'rev1', { reviewer: 'rev1' }),
      ev('resubmitted', 'alice', { version: '1.1.0', checksum: `sha256:${'c'.repeat(64)}`, tag: 'd'.repeat(40) }), checks(),
      review('rev1'), review('rev2'), certified(['rev1', 'rev2'], { version: '1.1.0', checksum: `sha256:${'c'.repeat(64)}`, tag: 'd'.repeat(40) }),
    ]);
    const { view, problems } = replay('CR-000001', text);
    expect(problems).toEqual([]);
    expect(view).toMatchObject({ state: 'certified', version: '1.1.0' });
    expect(view!.allReviews.map((r) => `${r.reviewer}@${r.round}:${r.decision}`)).toEqual(['rev1@1:changes', 'rev1@2:approve', 'rev2@2:approve']);
  });

  it('suspended, reinstated, renewed, revoked', () => {
    const text = build([
      submitted(), checks(), review('rev1'), review('rev2'), certified(),
      ev('suspended', 'admin', { reason: 'complaint' }), ev('reinstated', 'admin', {}),
      ev('renewed', 'alice', { validUntil: '2028-01-01T00:00:00.000Z' }), ev('revoked', 'admin', { reason: 'fraud' }),
    ]);
    const { view, problems } = replay('CR-000001', text);
    expect(problems).toEqual([]);
    expect(view!.state).toBe('revoked');
    expect(view!.certificate!.validUntil).toBe('2028-01-01T00:00:00.000Z');
  });

  it('a rejection is final and replays cleanly', () => {
    const { view, problems } = replay('CR-000001', build([submitted(), checks(), review('rev1', 'reject'), ev('rejected', 'rev1', { reviewer: 'rev1' })]));
    expect(problems).toEqual([]);
    expect(view!.state).toBe('rejected');
  });

  it('effectiveState shows an expired certificate as expired', () => {
    const { view } = replay('CR-000001', soundCertified());
    expect(effectiveState(view!, new Date('2026-06-01T00:00:00Z'))).toBe('certified');
    expect(effectiveState(view!, new Date('2027-06-01T00:00:00Z'))).toBe('expired');
  });

  it('certifiedMaturity takes the lowest assessed technology level and always ODRL-3*', () => {
    const r = (technology?: string) => ({ decision: 'approve' as const, checklist, ...(technology ? { maturity: { technology } } : {}) });
    expect(certifiedMaturity([r('OTRL-5'), r('OTRL-3')])).toEqual({ technology: 'OTRL-3', documentation: 'ODRL-3*' });
    expect(certifiedMaturity([r(), r()], { technology: 'OTRL-4' })).toEqual({ technology: 'OTRL-4', documentation: 'ODRL-3*' });
    expect(certifiedMaturity([r()])).toEqual({ documentation: 'ODRL-3*' });
  });

  it('formats ids and UIDs', () => {
    expect(formatUid(1)).toBe('OHC-000001');
    expect(formatCertId(42)).toBe('CR-000042');
  });
});

describe('tampering is reported', () => {
  it('an edited event breaks the link of the next one', () => {
    const ls = lines(soundCertified());
    ls[2] = ls[2]!.replace('"decision":"approve"', '"decision":"approve","comment":"added later"');
    expect(problemsOf(join(ls))).toEqual(['event 4 (review) does not link to the event before it: the record was altered']);
  });

  it('an edited last event is caught once something follows it (and by its hash in the history)', () => {
    const ls = lines(soundCertified());
    ls[4] = ls[4]!.replace('2027-01-01', '2099-01-01');
    const withNext = appendEvent(join(ls), ev('renewed', 'alice', { validUntil: '2100-01-01T00:00:00.000Z' })).text;
    const l2 = lines(withNext);
    // appendEvent links to the edited line; editing the line *before* changes nothing below it
    expect(problemsOf(withNext)).toEqual([]);
    // ...but editing it after something was appended breaks the chain
    l2[4] = l2[4]!.replace('2099-01-01', '2098-01-01');
    expect(problemsOf(join(l2))).toContain('event 6 (renewed) does not link to the event before it: the record was altered');
  });

  it('a removed event breaks sequence and links', () => {
    const ls = lines(soundCertified());
    ls.splice(2, 1); // the first approval
    const problems = problemsOf(join(ls));
    expect(problems).toContain('event 3 has sequence number 4');
    expect(problems).toContain('event 3 (review) does not link to the event before it: the record was altered');
    expect(problems).toContain('event 5: certified with 1 approval(s); the quorum is 2'); // messages name the event's own seq
  });

  it('reordered events break sequence and links', () => {
    const ls = lines(soundCertified());
    [ls[2], ls[3]] = [ls[3]!, ls[2]!];
    const problems = problemsOf(join(ls));
    expect(problems).toContain('event 3 has sequence number 4');
    expect(problems).toContain('event 4 has sequence number 3');
    expect(problems.filter((p) => p.includes('does not link'))).toHaveLength(3);
  });

  it('a review by an owner, even properly chained, is reported', () => {
    const text = build([submitted(2, ['alice', 'carol']), checks(), review('carol'), review('rev2'), certified(['carol', 'rev2'])]);
    expect(problemsOf(text)).toEqual(['event 3: carol reviewed a design they own']);
  });

  it('a certificate below the quorum is reported', () => {
    const text = build([submitted(2), checks(), review('rev1'), certified(['rev1'])]);
    expect(problemsOf(text)).toEqual(['event 4: certified with 1 approval(s); the quorum is 2']);
  });

  it('a review committed in the name of someone else, or twice by one reviewer, is reported', () => {
    expect(problemsOf(build([submitted(), checks(), review('rev1', 'approve', 'mallory')]))).toEqual(['event 3: review by rev1 committed by mallory']);
    const twice = problemsOf(build([submitted(), checks(), review('rev1'), review('rev1'), certified(['rev1', 'rev1'])]));
    expect(twice).toContain('event 4: second review by rev1 in one round');
  });

  it('a certificate that covers another version, or whose reviewers differ, is reported', () => {
    const text = build([submitted(), checks(), review('rev1'), review('rev2'), certified(['rev1', 'rev3'], { version: '9.9.9' })]);
    expect(problemsOf(text)).toEqual([
      'event 5: the certificate does not cover the submitted version (alice/widget@1.0.0)',
      'event 5: certificate reviewers differ from the approving reviews',
    ]);
  });

  it('illegal moves are reported: reviews before checks, renewal while suspended, reinstating a certified one, revoking without reason', () => {
    expect(problemsOf(build([submitted(), review('rev1')]))).toEqual(['event 2: review recorded while submitted']);
    const base = [submitted(), checks(), review('rev1'), review('rev2'), certified()];
    expect(problemsOf(build([...base, ev('suspended', 'admin', { reason: 'x' }), ev('renewed', 'alice', { validUntil: '2030-01-01T00:00:00Z' })])))
      .toEqual(['event 7: renewal while suspended']);
    expect(problemsOf(build([...base, ev('reinstated', 'admin', {})]))).toEqual(['event 6: reinstated while certified']);
    expect(problemsOf(build([...base, ev('revoked', 'admin', {})]))).toEqual(['event 6: revocation without a reason']);
    expect(problemsOf(build([...base, ev('withdrawn', 'alice', {}), ev('reinstated', 'admin', {})]))).toEqual([
      'event 7: reinstated while withdrawn',
      'event 7 (reinstated) moves withdrawn → certified, which the workflow does not allow',
    ]);
  });

  it('garbage and records without a submission are reported', () => {
    expect(problemsOf('not json\n')).toEqual(['event 1 is not valid JSON']);
    expect(problemsOf(build([checks()]))).toContain('the record does not start with a submission');
  });
});
