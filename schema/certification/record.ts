import { createHash } from 'node:crypto';
import { OTRL_LEVELS } from '../types.ts';
import { canTransition, type CertState } from './states.ts';
import type { ReviewInput } from './checklist.ts';

/**
 * A certification record is one JSON-Lines file in index.git: one event per line, each line a
 * commit authored by its actor. Lines are hash-chained (`prev` = SHA-256 of the previous line's
 * exact text), so an edited or removed event breaks the chain even if the git history were
 * rewritten consistently; `replay` is the one interpretation used by the server to answer reads
 * and by `ohw certify verify` to check a record without trusting the server.
 */
export type CertEvent =
  | Ev<'submitted', { package: string; version: string; checksum: string; tag: string; owners: string[]; quorum: number }>
  | Ev<'checks', { results: CheckResult[]; passed: boolean }>
  | Ev<'review', { reviewer: string; review: ReviewInput }>
  /** By a reviewer (with a matching review), or by the registry with a reason (e.g. the version was yanked). */
  | Ev<'changes-requested', { reviewer?: string; reason?: string }>
  | Ev<'rejected', { reviewer: string }>
  | Ev<'resubmitted', { version: string; checksum: string; tag: string }>
  | Ev<'certified', Certificate>
  | Ev<'renewed', { validUntil: string }>
  | Ev<'suspended', { reason: string }>
  | Ev<'reinstated', { reason?: string }>
  | Ev<'revoked', { reason: string }>
  | Ev<'withdrawn', { reason?: string }>;

interface Ev<T extends string, D> { seq: number; type: T; at: string; actor: string; prev: string | null; data: D }

export interface CheckResult { id: string; result: 'pass' | 'warn' | 'fail'; evidence: string }

export interface Certificate {
  uid: string;
  certification: string;
  package: string;
  version: string;
  checksum: string;
  tag: string;
  validFrom: string;
  validUntil: string;
  maturity: { technology?: string; documentation: 'ODRL-3*' };
  reviewers: string[];
}

export const lineHash = (line: string): string => createHash('sha256').update(line).digest('hex');

export const UID_PATTERN = /^OHC-\d{6}$/;
export const formatUid = (n: number): string => `OHC-${String(n).padStart(6, '0')}`;
export const CERT_ID_PATTERN = /^CR-\d{6}$/;
export const formatCertId = (n: number): string => `CR-${String(n).padStart(6, '0')}`;

/** Append an event to a record's text, filling seq and the hash link. */
export function appendEvent(text: string, event: Omit<CertEvent, 'seq' | 'prev'>): { text: string; event: CertEvent } {
  const lines = text.split('\n').filter((l) => l !== '');
  const last = lines.at(-1);
  const full = { seq: lines.length + 1, type: event.type, at: event.at, actor: event.actor, prev: last === undefined ? null : lineHash(last), data: event.data } as CertEvent;
  return { text: [...lines, JSON.stringify(full)].join('\n') + '\n', event: full };
}

export interface RecordView {
  id: string;
  package: string;
  version: string;
  checksum: string;
  tag: string;
  owners: string[];
  quorum: number;
  /** State as recorded (never `expired`; see effectiveState). */
  state: CertState;
  checks: CheckResult[];
  checksPassed: boolean;
  /** Reviews of the current round (since the last submission). */
  reviews: Array<{ reviewer: string; at: string } & ReviewInput>;
  allReviews: Array<{ reviewer: string; at: string; round: number } & ReviewInput>;
  certificate?: Certificate;
  events: CertEvent[];
}

/** Replay a record; `problems` lists every way it breaks the rules (empty for a sound record). */
export function replay(id: string, text: string): { view?: RecordView; problems: string[] } {
  const problems: string[] = [];
  const lines = text.split('\n').filter((l) => l !== '');
  const events: CertEvent[] = [];
  let prev: string | null = null;
  for (const [i, line] of lines.entries()) {
    let e: CertEvent;
    try { e = JSON.parse(line) as CertEvent; } catch { problems.push(`event ${i + 1} is not valid JSON`); return { problems }; }
    if (e.seq !== i + 1) problems.push(`event ${i + 1} has sequence number ${e.seq}`);
    if (e.prev !== prev) problems.push(`event ${i + 1} (${e.type}) does not link to the event before it: the record was altered`);
    prev = lineHash(line);
    events.push(e);
  }
  const first = events[0];
  if (!first || first.type !== 'submitted') {
    problems.push('the record does not start with a submission');
    return { problems };
  }
  const view: RecordView = {
    id, package: first.data.package, version: first.data.version, checksum: first.data.checksum, tag: first.data.tag,
    owners: first.data.owners, quorum: first.data.quorum, state: 'submitted', checks: [], checksPassed: false,
    reviews: [], allReviews: [], events,
  };
  let round = 1;
  const move = (to: CertState, e: CertEvent) => {
    if (!canTransition(view.state, to)) problems.push(`event ${e.seq} (${e.type}) moves ${view.state} → ${to}, which the workflow does not allow`);
    view.state = to;
  };
  for (const e of events.slice(1)) {
    switch (e.type) {
      case 'submitted':
        problems.push(`event ${e.seq}: a record has one submission`);
        break;
      case 'checks':
        if (view.state !== 'submitted') problems.push(`event ${e.seq}: checks recorded while ${view.state}`);
        view.checks = e.data.results;
        view.checksPassed = e.data.passed && !e.data.results.some((r) => r.result === 'fail');
        if (e.data.passed !== view.checksPassed) problems.push(`event ${e.seq}: checks marked passed with a failing check`);
        if (view.checksPassed) move('in-review', e);
        break;
      case 'review': {
        if (view.state !== 'in-review') problems.push(`event ${e.seq}: review recorded while ${view.state}`);
        if (e.actor !== e.data.reviewer) problems.push(`event ${e.seq}: review by ${e.data.reviewer} committed by ${e.actor}`);
        if (view.owners.includes(e.data.reviewer)) problems.push(`event ${e.seq}: ${e.data.reviewer} reviewed a design they own`);
        if (view.reviews.some((r) => r.reviewer === e.data.reviewer)) problems.push(`event ${e.seq}: second review by ${e.data.reviewer} in one round`);
        view.reviews.push({ reviewer: e.data.reviewer, at: e.at, ...e.data.review });
        view.allReviews.push({ reviewer: e.data.reviewer, at: e.at, round, ...e.data.review });
        break;
      }
      case 'changes-requested':
      case 'rejected': {
        if (e.type === 'changes-requested' && e.data.reviewer === undefined) {
          if (!e.data.reason) problems.push(`event ${e.seq}: changes requested without a reviewer or a reason`);
          move(e.type, e);
          break;
        }
        const decided = view.reviews.find((r) => r.reviewer === e.data.reviewer);
        const wanted = e.type === 'rejected' ? 'reject' : 'changes';
        if (!decided || decided.decision !== wanted) problems.push(`event ${e.seq}: ${e.type} without a matching review by ${e.data.reviewer}`);
        move(e.type, e);
        break;
      }
      case 'resubmitted':
        move('submitted', e);
        Object.assign(view, { version: e.data.version, checksum: e.data.checksum, tag: e.data.tag, checks: [], checksPassed: false, reviews: [] });
        round += 1;
        break;
      case 'certified': {
        const approvals = view.reviews.filter((r) => r.decision === 'approve').map((r) => r.reviewer);
        if (approvals.length < view.quorum) problems.push(`event ${e.seq}: certified with ${approvals.length} approval(s); the quorum is ${view.quorum}`);
        const c = e.data;
        if (!UID_PATTERN.test(c.uid)) problems.push(`event ${e.seq}: malformed certificate UID ${c.uid}`);
        if (c.package !== view.package || c.version !== view.version || c.checksum !== view.checksum || c.tag !== view.tag) {
          problems.push(`event ${e.seq}: the certificate does not cover the submitted version (${view.package}@${view.version})`);
        }
        if ([...c.reviewers].sort().join() !== [...approvals].sort().join()) problems.push(`event ${e.seq}: certificate reviewers differ from the approving reviews`);
        if (view.certificate) problems.push(`event ${e.seq}: a second certificate in one record`);
        move('certified', e);
        view.certificate = c;
        break;
      }
      case 'renewed':
        if (!view.certificate) { problems.push(`event ${e.seq}: renewal without a certificate`); break; }
        if (view.state !== 'certified') problems.push(`event ${e.seq}: renewal while ${view.state}`);
        view.certificate = { ...view.certificate, validUntil: e.data.validUntil };
        break;
      case 'suspended': move('suspended', e); break;
      case 'reinstated':
        if (view.state !== 'suspended') problems.push(`event ${e.seq}: reinstated while ${view.state}`);
        move('certified', e);
        break;
      case 'revoked':
        if (!e.data.reason) problems.push(`event ${e.seq}: revocation without a reason`);
        move('revoked', e);
        break;
      case 'withdrawn': move('withdrawn', e); break;
      default:
        problems.push(`event ${(e as CertEvent).seq}: unknown event type ${(e as CertEvent).type}`);
    }
  }
  return { view, problems };
}

/** The state shown to users: a certificate past its validity reads as `expired`. */
export function effectiveState(view: RecordView, now: Date): CertState {
  if (view.state === 'certified' && view.certificate && new Date(view.certificate.validUntil) < now) return 'expired';
  return view.state;
}

/** The maturity shown while certified: documentation is `ODRL-3*`, derived from the certificate. */
export function certifiedMaturity(reviews: ReviewInput[], claimed?: { technology?: string }): Certificate['maturity'] {
  // The technology level is the lowest any approving reviewer assessed (conservative), else the claim.
  const assessed = reviews.filter((r) => r.decision === 'approve').map((r) => r.maturity?.technology).filter((t): t is string => Boolean(t));
  const lowest = assessed.sort((a, b) => OTRL_LEVELS.indexOf(a as never) - OTRL_LEVELS.indexOf(b as never))[0];
  const technology = lowest ?? claimed?.technology;
  return technology ? { technology, documentation: 'ODRL-3*' } : { documentation: 'ODRL-3*' };
}
