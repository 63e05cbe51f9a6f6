import { effectiveState, replay, type CertEvent, type Certificate, type RecordView } from './record.ts';
import type { CertState } from './states.ts';

/**
 * The pure half of `ohw certify verify`: given the history of one certification record as read
 * with real git (every revision of the file, oldest first, with the commit that made it) and the
 * certificate the server serves, decide whether the record is sound and whether the certificate
 * holds now. No I/O here; the CLI gathers the inputs (cli/certify-verify.ts).
 */
export interface RecordRevision { commit: string; author: string; date: string; content: string }

/** What `GET /api/v1/certificates/:uid` answers (the fields verify relies on). */
export interface ServedCertificate extends Pick<Certificate, 'uid' | 'certification' | 'package' | 'version' | 'checksum' | 'tag'> {
  validUntil?: string;
  state?: string;
  record: { path: string; commit: string | null };
}

export interface ChainEntry { seq: number; type: CertEvent['type']; actor: string; at: string; commit: string; reason?: string }

export interface RecordAudit {
  /** Every way the record or its history breaks the rules; empty when the record is sound. */
  problems: string[];
  chain: ChainEntry[];
  view?: RecordView;
  certificate?: Certificate;
  /** State now (expiry applied), when the record could be replayed. */
  state?: CertState;
  /** The commit whose change added the `certified` event. */
  issuedIn?: string;
  /** One line for a person: what the certificate means now. */
  verdict: string;
}

const CERT_FIELDS = ['uid', 'certification', 'package', 'version', 'checksum', 'tag'] as const;

export function auditRecord(id: string, revisions: RecordRevision[], served: ServedCertificate, now: Date): RecordAudit {
  const problems: string[] = [];
  const chain: ChainEntry[] = [];
  if (!revisions.length) {
    return { problems: [`the index has no history for ${served.record.path}`], chain, verdict: 'no record: the certificate cannot be verified' };
  }
  // 1. Append-only: each commit keeps the previous text as an exact prefix and adds whole events.
  let before = '';
  const texts: string[] = [];
  for (const r of revisions) {
    const added = r.content.startsWith(before) ? r.content.slice(before.length) : undefined;
    if (added === undefined) {
      problems.push(`commit ${r.commit.slice(0, 12)} rewrites earlier events of the record instead of appending to it`);
    } else if (added === '') {
      problems.push(`commit ${r.commit.slice(0, 12)} changes the record without adding an event`);
    } else if (!added.endsWith('\n')) {
      problems.push(`commit ${r.commit.slice(0, 12)} leaves an incomplete event at the end of the record`);
    }
    const lines = r.content.split('\n').filter((l) => l !== '');
    chain.length = Math.min(chain.length, lines.length);
    texts.length = Math.min(texts.length, lines.length);
    for (const [i, line] of lines.entries()) {
      if (texts[i] === line) continue;
      texts[i] = line;
      let e: CertEvent | undefined;
      try { e = JSON.parse(line) as CertEvent; } catch { /* replay reports it */ }
      if (!e) continue;
      const entry: ChainEntry = { seq: e.seq, type: e.type, actor: e.actor, at: e.at, commit: r.commit };
      const reason = (e.data as { reason?: unknown } | undefined)?.reason;
      if (typeof reason === 'string' && reason) entry.reason = reason;
      chain[i] = entry;
      // Each event is committed by its actor (the registry commits the automatic checks).
      if (e.actor !== r.author) problems.push(`event ${e.seq} (${e.type}) by ${e.actor} was committed by ${r.author} (${r.commit.slice(0, 12)})`);
    }
    before = r.content;
  }
  // 2. The hash chain and the workflow, replayed from the newest text.
  const last = revisions.at(-1)!.content;
  const { view, problems: replayed } = replay(id, last);
  problems.push(...replayed);
  if (!view) return { problems, chain, verdict: 'the record cannot be replayed' };
  if (!(view.quorum >= 1)) problems.push(`the record sets a quorum of ${view.quorum}`);

  // 3. The certificate in the record is the one served, issued in the commit the server names.
  const certificate = view.certificate;
  let issuedIn: string | undefined;
  if (!certificate) {
    problems.push(`the record ${id} holds no certificate, but the registry serves ${served.uid}`);
  } else {
    for (const f of CERT_FIELDS) {
      if (certificate[f] !== served[f]) problems.push(`the served certificate's ${f} (${served[f]}) differs from the record's (${certificate[f]})`);
    }
    if (served.validUntil !== undefined && served.validUntil !== certificate.validUntil) {
      problems.push(`the served certificate is valid until ${served.validUntil}, the record says ${certificate.validUntil}`);
    }
    const approvers = view.reviews.filter((r) => r.decision === 'approve').map((r) => r.reviewer);
    const distinct = new Set(approvers.filter((a) => !view.owners.includes(a)));
    if (distinct.size < view.quorum) problems.push(`only ${distinct.size} distinct approving reviewer(s) who do not own the design; the quorum is ${view.quorum}`);
    const certifiedSeq = view.events.find((e) => e.type === 'certified')?.seq;
    issuedIn = chain.find((c) => c.seq === certifiedSeq)?.commit;
    if (served.record.commit !== issuedIn) {
      problems.push(`the registry says the certificate was issued in commit ${served.record.commit ?? '(none)'}, but the record's history shows ${issuedIn ?? '(no such commit)'}`);
    }
  }
  const state = effectiveState(view, now);
  const audit: RecordAudit = { problems, chain, view, state, verdict: verdictOf(view, state) };
  if (certificate) audit.certificate = certificate;
  if (issuedIn) audit.issuedIn = issuedIn;
  return audit;
}

function verdictOf(view: RecordView, state: CertState): string {
  const c = view.certificate;
  const lastOf = (type: CertEvent['type']) => [...view.events].reverse().find((e) => e.type === type);
  const reason = (e: CertEvent | undefined) => {
    const r = (e?.data as { reason?: string } | undefined)?.reason;
    return r ? `: ${r}` : '';
  };
  switch (state) {
    case 'certified': return `certified — ${c?.uid} covers ${view.package}@${view.version}, valid until ${c?.validUntil}`;
    case 'expired': return `expired — ${c?.uid} was valid until ${c?.validUntil}`;
    case 'revoked': { const e = lastOf('revoked'); return `revoked on ${e?.at} by ${e?.actor}${reason(e)}`; }
    case 'suspended': { const e = lastOf('suspended'); return `suspended on ${e?.at} by ${e?.actor}${reason(e)}`; }
    case 'withdrawn': { const e = lastOf('withdrawn'); return `withdrawn on ${e?.at} by ${e?.actor}${reason(e)}`; }
    default: return `not certified: the certification is ${state}`;
  }
}
