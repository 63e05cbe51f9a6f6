/** @jsxImportSource preact */
import type { readCertificate } from '../../services/certification.ts';
import type { CertificationRead } from '../../services/review-queue.ts';
import { CHECKLIST, DECISIONS } from '../../../schema/certification/checklist.ts';
import { OTRL_LEVELS, ODRL_LEVELS } from '../../../schema/types.ts';
import type { Viewer } from '../render.ts';
import { CopyCommand, Csrf, Layout, Notice } from './layout.tsx';

type CertificateRead = Awaited<ReturnType<typeof readCertificate>>;

function History({ history }: { history: CertificationRead['history'] }) {
  return (
    <ol class="history">{history.map((h) => <li><time dateTime={h.at}>{h.at.slice(0, 16).replace('T', ' ')}</time> {h.type} by {h.actor}{h.reason ? `: ${h.reason}` : ''}</li>)}</ol>
  );
}

export function CertificatePage(props: { viewer: Viewer | undefined; cert: CertificateRead; history: CertificationRead['history']; origin: string }) {
  const { cert } = props;
  const badge = `${props.origin}/api/v1/certificates/${cert.uid}/badge.svg`;
  const snippet = `<a href="${props.origin}/certificates/${cert.uid}"><img src="${badge}" alt="Open hardware certified ${cert.uid}"></a>`;
  return (
    <Layout title={`Certificate ${cert.uid}`} viewer={props.viewer} scripts={['copy.js']}>
      <h1>Certificate {cert.uid}</h1>
      <p><img class="badge" src={`/api/v1/certificates/${cert.uid}/badge.svg`} alt={`Badge of ${cert.uid}: ${cert.state}`} height={20} /></p>
      {cert.state !== 'certified' ? <Notice kind="error">This certificate is {cert.state}: it no longer certifies the design.</Notice> : null}
      {cert.flags.includes('version-yanked') ? <Notice kind="info">The certified version has since been yanked by its owners.</Notice> : null}
      <dl class="facts">
        <dt>Status</dt><dd>{cert.state}</dd>
        <dt>Design</dt><dd><a href={`/designs/${cert.package}/v/${cert.version}`}>{cert.package}@{cert.version}</a></dd>
        <dt>Checksum</dt><dd><code class="wrap">{cert.checksum}</code></dd>
        <dt>Valid</dt><dd>{cert.validFrom.slice(0, 10)} to {cert.validUntil.slice(0, 10)}</dd>
        <dt>Maturity</dt><dd>{[cert.maturity.technology, cert.maturity.documentation].filter(Boolean).join(', ')}</dd>
        <dt>Reviewers</dt><dd>{cert.reviewers.join(', ')}</dd>
        <dt>Record</dt><dd><a href={`/certifications/${cert.certification}`}>{cert.certification}</a> ({cert.record.path} in the index repository)</dd>
      </dl>
      <h2>History</h2>
      <History history={props.history} />
      <h2>Embed the badge</h2>
      <CopyCommand label="HTML" command={snippet} />
      <h2>Verify offline</h2>
      <p>The record is an append-only file in the registry's index repository; anyone can check it without trusting this site:</p>
      <CopyCommand label="With the CLI" command={`ohw certify verify ${cert.uid}`} />
      <CopyCommand label="Or by hand" command={`git clone ${props.origin}/git/index.git && git -C index log -- ${cert.record.path}`} />
    </Layout>
  );
}

/** The certification record and, for a reviewer who may review it, the review form. */
export function CertificationPage(props: { viewer: Viewer | undefined; cert: CertificationRead; blocker?: string; error?: string; done?: boolean }) {
  const { cert, viewer } = props;
  return (
    <Layout title={`Certification ${cert.id}`} viewer={viewer}>
      <p class="crumbs">{viewer?.roles.includes('reviewer') ? <a href="/reviews">← Review queue</a> : null}</p>
      <h1>Certification {cert.id}: <a href={`/designs/${cert.package}/v/${cert.version}`}>{cert.package}@{cert.version}</a></h1>
      {props.done ? <Notice kind="info">Your review was recorded.</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <dl class="facts">
        <dt>State</dt><dd>{cert.state}</dd>
        <dt>Approvals</dt><dd>{cert.approvals} of {cert.quorum} needed</dd>
        <dt>Owners</dt><dd>{cert.owners.join(', ')}</dd>
        {cert.certificate ? <><dt>Certificate</dt><dd><a href={`/certificates/${cert.certificate.uid}`}>{cert.certificate.uid}</a></dd></> : null}
      </dl>
      <h2>Automatic checks</h2>
      <ul class="checks">{cert.checks.map((c) => <li class={`check ${c.result}`}><strong>{c.result}</strong> {c.id}: {c.evidence}</li>)}</ul>
      <h2>Reviews</h2>
      {cert.reviews.length ? <ul>{cert.reviews.map((r) => <li>{r.reviewer} ({r.at.slice(0, 10)}, round {r.round}): <strong>{r.decision}</strong>{r.comment ? ` — ${r.comment}` : ''}</li>)}</ul> : <p class="muted">No reviews yet.</p>}
      <h2>History</h2>
      <History history={cert.history} />
      {!viewer ? <p><a href={`/login?next=/certifications/${cert.id}`}>Sign in</a> as a reviewer to review this design.</p>
        : props.blocker ? <Notice kind="info">You cannot review this certification: {props.blocker}.</Notice>
        : <ReviewForm cert={cert} csrf={viewer.csrf} />}
    </Layout>
  );
}

function ReviewForm({ cert, csrf }: { cert: CertificationRead; csrf: string }) {
  return (
    <form method="post" action={`/certifications/${cert.id}/review`} class="review">
      <h2>Your review</h2>
      <Csrf token={csrf} />
      {CHECKLIST.map((item) => (
        <fieldset class="check-item">
          <legend>{item.question}{item.required ? '' : ' (optional)'}</legend>
          {(item.required ? ['pass', 'fail'] : ['pass', 'fail', 'n/a']).map((r) => (
            <label class="choice"><input type="radio" name={`check.${item.id}`} value={r} required={item.required} /> {r}</label>
          ))}
          <label class="comment">Comment <input type="text" name={`comment.${item.id}`} maxLength={2000} /></label>
        </fieldset>
      ))}
      <fieldset>
        <legend>Maturity assessment</legend>
        <label>Technology <select name="maturity.technology"><option value="">no opinion</option>{OTRL_LEVELS.map((l) => <option value={l}>{l}</option>)}</select></label>
        <label>Documentation <select name="maturity.documentation"><option value="">no opinion</option>{ODRL_LEVELS.map((l) => <option value={l}>{l}</option>)}</select></label>
      </fieldset>
      <fieldset>
        <legend>Decision</legend>
        {DECISIONS.map((d) => <label class="choice"><input type="radio" name="decision" value={d} required /> {d === 'changes' ? 'request changes' : d}</label>)}
      </fieldset>
      <label for="review-comment">Comment for the owners</label>
      <textarea id="review-comment" name="comment" rows={4} maxLength={10000} />
      <p><button type="submit">Submit review</button></p>
    </form>
  );
}

export function ReviewsPage(props: { viewer: Viewer; queue: Array<CertificationRead & { reviewedByMe: boolean }> }) {
  return (
    <Layout title="Review queue" viewer={props.viewer}>
      <h1>Certifications awaiting review</h1>
      <p class="muted">Designs you own (or whose upstream you own) are left out.</p>
      {props.queue.length ? (
        <table>
          <thead><tr><th scope="col">Request</th><th scope="col">Design</th><th scope="col">State</th><th scope="col">Approvals</th><th scope="col">You</th></tr></thead>
          <tbody>{props.queue.map((c) => (
            <tr><td><a href={`/certifications/${c.id}`}>{c.id}</a></td><td>{c.package}@{c.version}</td><td>{c.state}</td><td>{c.approvals}/{c.quorum}</td><td>{c.reviewedByMe ? 'reviewed' : 'to do'}</td></tr>
          ))}</tbody>
        </table>
      ) : <p>Nothing is waiting for review.</p>}
    </Layout>
  );
}
