import { CHECKLIST } from '../../../schema/certification/checklist.ts';
import { appendEvent, type CertEvent, type Certificate } from '../../../schema/certification/record.ts';

export const PKG = 'alice/widget';
export const CHECKSUM = `sha256:${'a'.repeat(64)}`;
export const TAG = 'b'.repeat(40);
export const checklist = Object.fromEntries(CHECKLIST.filter((i) => i.required).map((i) => [i.id, { result: 'pass' as const }]));

type Draft = Omit<CertEvent, 'seq' | 'prev'>;
let clock = Date.parse('2026-01-01T00:00:00Z');
const at = () => new Date((clock += 60_000)).toISOString();

export const submitted = (quorum = 2, owners = ['alice']): Draft => ({ type: 'submitted', at: at(), actor: 'alice', data: { package: PKG, version: '1.0.0', checksum: CHECKSUM, tag: TAG, owners, quorum } });
export const checks = (passed = true): Draft => ({ type: 'checks', at: at(), actor: 'ohw-registry', data: { results: [{ id: 'bom-complete', result: passed ? 'pass' : 'fail', evidence: 'e' }], passed } });
export const review = (reviewer: string, decision: 'approve' | 'changes' | 'reject' = 'approve', actor = reviewer): Draft => ({ type: 'review', at: at(), actor, data: { reviewer, review: { decision, checklist } } });
export const certificate = (reviewers: string[], over: Partial<Certificate> = {}): Certificate => ({
  uid: 'OHC-000001', certification: 'CR-000001', package: PKG, version: '1.0.0', checksum: CHECKSUM, tag: TAG,
  validFrom: '2026-01-01T01:00:00.000Z', validUntil: '2027-01-01T01:00:00.000Z', maturity: { documentation: 'ODRL-3*' }, reviewers, ...over,
});
export const certified = (reviewers = ['rev1', 'rev2'], over: Partial<Certificate> = {}, actor = reviewers.at(-1)!): Draft => ({ type: 'certified', at: at(), actor, data: certificate(reviewers, over) });
export const ev = (type: string, actor: string, data: object): Draft => ({ type, at: at(), actor, data } as Draft);

/** Build a record's text from drafts, chained as the server does. */
export function build(drafts: Draft[]): string {
  let text = '';
  for (const d of drafts) text = appendEvent(text, d).text;
  return text;
}

export const lines = (text: string) => text.split('\n').filter(Boolean);
export const join = (ls: string[]) => ls.join('\n') + '\n';

/** A sound certified record: submitted, checks, two approvals, certified. */
export const soundCertified = () => build([submitted(), checks(), review('rev1'), review('rev2'), certified()]);
