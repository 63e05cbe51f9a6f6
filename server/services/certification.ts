import { OhwError } from '../../schema/errors.ts';
import { validateDesign } from '../../schema/manifest/index.ts';
import { designSource } from '../../schema/design-source.ts';
import { CHECKLIST, parseReview } from '../../schema/certification/checklist.ts';
import { assertTransition, refuseTransition } from '../../schema/certification/states.ts';
import {
  appendEvent, certifiedMaturity, effectiveState, formatCertId, formatUid,
  UID_PATTERN, type CertEvent, type Certificate,
} from '../../schema/certification/record.ts';
import { runChecks } from '../domain/certification-checks.ts';
import { enforce, mayActAsOwner, mayAdminister, mayRequestCertification, mayReview } from '../domain/policy.ts';
import { personOf, REGISTRY_PERSON, type Actor, type Deps } from './deps.ts';
import { announce, refreshDerived } from './derived-views.ts';
import { requireDesign, requireVersion } from './read-design.ts';
import { buildEvidence, markHoldersOf } from './production/builds.ts';
import { certificatePath, certificationsOf, forgetIndex, loadRecord, recordPath } from './certification-records.ts';

export { certificationsOf };

const VALIDITY_MS = 365 * 24 * 3600 * 1000;

/** Certification writes run one at a time (see ServiceState.certificationQueue). */
function serialized<T>(deps: Deps, work: () => Promise<T>): Promise<T> {
  const next = deps.state.certificationQueue.then(work, work);
  deps.state.certificationQueue = next.catch(() => undefined);
  return next;
}

async function append(deps: Deps, pkg: string, id: string, text: string, events: Array<Omit<CertEvent, 'seq' | 'prev'>>, author: { name: string; email: string }, extra: Array<{ path: string; content: string }> = []): Promise<string> {
  let next = text;
  for (const e of events) next = appendEvent(next, e).text;
  const message = `${id}: ${events.map((e) => e.type).join(', ')}`;
  await announce(deps, pkg);
  return deps.index.commit([{ path: recordPath(id), content: next }, ...extra], author, message);
}

/**
 * A certificate names who answers for the design (SPEC §5): the version's design.yaml must have
 * `responsibleParty`. Refused before anything is recorded.
 */
async function assertResponsibleParty(deps: Deps, pkg: string, version: string): Promise<void> {
  const manifest = await deps.manifests.get(pkg, version);
  if (manifest.responsibleParty) return;
  throw new OhwError('INVALID_REQUEST', `${pkg}@${version} has no responsibleParty in design.yaml: a certificate needs a person or organisation who answers for the design; publish a version that names one`, {
    issues: [{ file: 'design.yaml', path: 'responsibleParty', line: 0, column: 0, code: 'responsible-party-missing', severity: 'error', message: 'responsibleParty (type, name, country, contact) is required for certification' }],
  });
}

async function designOwners(deps: Deps, pkg: string): Promise<string[]> {
  const state = await deps.designs.state(pkg);
  const owners = new Set(state.owners);
  // The upstream's owners are interested parties too: they cannot review a fork of their design.
  if (state.forkOf && (await deps.designs.exists(state.forkOf.package))) {
    for (const o of (await deps.designs.state(state.forkOf.package)).owners) owners.add(o);
  }
  return [...owners].sort();
}

/** POST /certifications — an owner asks for package@version to be certified; checks run at once. */
export function requestCertification(deps: Deps, actor: Actor, body: Record<string, unknown>) {
  return serialized(deps, async () => {
    if (typeof body.package !== 'string' || typeof body.version !== 'string') {
      throw new OhwError('INVALID_REQUEST', 'give {"package": "owner/name", "version": "x.y.z"}');
    }
    const pkg = await requireDesign(deps, body.package);
    const state = await deps.designs.state(pkg);
    enforce(mayRequestCertification(actor, pkg, state.owners));
    const record = await requireVersion(deps, pkg, body.version);
    if (state.yanked[record.version]) throw new OhwError('CONFLICT', `${pkg}@${record.version} is yanked; publish a fixed version and request that one`);
    await assertResponsibleParty(deps, pkg, record.version);
    for (const other of await certificationsOf(deps, pkg)) {
      if (other.version === record.version && !['rejected', 'revoked', 'withdrawn', 'expired'].includes(other.state)) {
        throw new OhwError('CONFLICT', `${pkg}@${record.version} already has certification ${other.id} (${other.state})`);
      }
    }
    const id = formatCertId((await deps.index.list('certifications/')).length + 1);
    const at = deps.now().toISOString();
    const submitted = { type: 'submitted', at, actor: actor.name, data: {
      package: pkg, version: record.version, checksum: record.meta.checksum, tag: record.tag, owners: await designOwners(deps, pkg), quorum: deps.quorum,
    } } as const;
    await append(deps, pkg, id, '', [submitted], personOf(actor));
    forgetIndex(deps);
    await runAutomaticChecks(deps, id);
    await refreshDerived(deps, pkg, `certification ${id} of ${pkg}@${record.version}`);
    return readCertification(deps, id);
  });
}

async function runAutomaticChecks(deps: Deps, id: string): Promise<void> {
  const { text, view } = await loadRecord(deps, id);
  const files = await deps.designs.readFiles(view.package, view.version);
  const validation = validateDesign(designSource(files));
  const manifest = validation.manifest ?? (await deps.manifests.get(view.package, view.version));
  const record = await requireVersion(deps, view.package, view.version);
  const dependencies = [];
  for (const d of record.meta.dependencies ?? []) {
    const exists = Boolean(await deps.designs.version(d.package, d.version).catch(() => undefined));
    const yanked = exists ? Boolean((await deps.designs.state(d.package)).yanked[d.version]) : false;
    dependencies.push({ package: d.package, version: d.version, exists, yanked });
  }
  const state = await deps.designs.state(view.package);
  const inputs: Parameters<typeof runChecks>[0] = { manifest, issues: validation.issues, files: files.map((f) => f.path), dependencies };
  const readme = files.find((f) => f.path === manifest.docs.readme);
  if (readme) inputs.readme = Buffer.from(readme.data).toString('utf8');
  if (state.forkOf) {
    const up = await deps.designs.version(state.forkOf.package, state.forkOf.version).catch(() => undefined);
    inputs.upstream = { package: state.forkOf.package, version: state.forkOf.version };
    if (up?.meta.license) inputs.upstream.license = up.meta.license;
  }
  inputs.builds = (await buildEvidence(deps, view.package, view.version, view.owners)).map((b) => ({
    reporter: b.reporter, outcome: b.outcome, region: b.region, independent: b.independent, current: b.correctedBy.length === 0, measurements: b.measurements,
  }));
  const { results, passed } = runChecks(inputs);
  await append(deps, view.package, id, text, [{ type: 'checks', at: deps.now().toISOString(), actor: REGISTRY_PERSON.name, data: { results, passed } }], REGISTRY_PERSON);
}

/** POST /certifications/:id/reviews — a reviewer's assessment; decides when it can. */
export function reviewCertification(deps: Deps, actor: Actor, id: string, body: unknown) {
  return serialized(deps, async () => {
    const { text, view } = await loadRecord(deps, id);
    enforce(mayReview(actor, view.package, view.owners));
    if (view.state === 'submitted' && !view.checksPassed) {
      throw new OhwError('CONFLICT', `certification ${id} failed its automatic checks and is not in review: ${view.checks.filter((c) => c.result === 'fail').map((c) => `${c.id}: ${c.evidence}`).join('; ')}`);
    }
    if (view.state !== 'in-review') assertTransition(view.state, 'in-review', 'review');
    if (view.reviews.some((r) => r.reviewer === actor.name)) throw new OhwError('CONFLICT', `${actor.name} has already reviewed certification ${id} in this round`);
    const review = parseReview(body);
    const at = deps.now().toISOString();
    const events: Array<Omit<CertEvent, 'seq' | 'prev'>> = [{ type: 'review', at, actor: actor.name, data: { reviewer: actor.name, review } }];
    const extra: Array<{ path: string; content: string }> = [];
    // The registry's own decisions are committed as the registry, so that verify sees who did what.
    const registryEvents: Array<Omit<CertEvent, 'seq' | 'prev'>> = [];
    if (review.decision === 'changes') events.push({ type: 'changes-requested', at, actor: actor.name, data: { reviewer: actor.name } });
    if (review.decision === 'reject') events.push({ type: 'rejected', at, actor: actor.name, data: { reviewer: actor.name } });
    if (review.decision === 'approve') {
      const approving = [...view.reviews, { reviewer: actor.name, at, ...review }].filter((r) => r.decision === 'approve');
      const yank = approving.length >= view.quorum ? (await deps.designs.state(view.package)).yanked[view.version] : undefined;
      if (yank) {
        // Yanked after the request: a certificate would vouch for a version its owners withdrew.
        const reason = `${view.package}@${view.version} was yanked on ${yank.at} by ${yank.by}${yank.reason ? ` (${yank.reason})` : ''}; ` +
          'no certificate is issued for a yanked version: publish a fixed version and resubmit';
        registryEvents.push({ type: 'changes-requested', at, actor: REGISTRY_PERSON.name, data: { reason } });
      } else if (approving.length >= view.quorum) {
        const uid = formatUid((await deps.index.list('certificates/')).length + 1);
        const manifest = await deps.manifests.get(view.package, view.version);
        const certificate: Certificate = {
          uid, certification: id, package: view.package, version: view.version, checksum: view.checksum, tag: view.tag,
          validFrom: at, validUntil: new Date(Date.parse(at) + VALIDITY_MS).toISOString(),
          maturity: certifiedMaturity(approving, manifest.maturity),
          reviewers: approving.map((r) => r.reviewer).sort(),
        };
        events.push({ type: 'certified', at, actor: actor.name, data: certificate });
        extra.push({ path: certificatePath(uid), content: JSON.stringify({ uid, certification: id }) + '\n' });
      }
    }
    await append(deps, view.package, id, text, events, personOf(actor), extra);
    if (registryEvents.length) await append(deps, view.package, id, (await loadRecord(deps, id)).text, registryEvents, REGISTRY_PERSON);
    forgetIndex(deps);
    await refreshDerived(deps, view.package, `certification ${id}: review by ${actor.name}`);
    return readCertification(deps, id);
  });
}

type Lifecycle = 'withdraw' | 'suspend' | 'revoke' | 'renew' | 'reinstate' | 'resubmit';

/** POST /certifications/:id/{withdraw,suspend,revoke,renew,reinstate,resubmit}. */
export function changeCertification(deps: Deps, actor: Actor, id: string, action: Lifecycle, body: Record<string, unknown>) {
  return serialized(deps, async () => {
    const { text, view } = await loadRecord(deps, id);
    const holders = (await deps.designs.state(view.package)).owners;
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    const at = deps.now().toISOString();
    const state = effectiveState(view, deps.now());
    const asHolder = () => enforce(mayActAsOwner(actor, view.package, holders));
    const asAdmin = () => enforce(mayAdminister(actor, `${action}`));
    let event: Omit<CertEvent, 'seq' | 'prev'>;
    switch (action) {
      case 'withdraw':
        asHolder();
        assertTransition(state, 'withdrawn', 'withdraw');
        event = { type: 'withdrawn', at, actor: actor.name, data: reason ? { reason } : {} };
        break;
      case 'suspend':
        asAdmin();
        if (!reason) throw new OhwError('INVALID_REQUEST', 'suspending needs a "reason"');
        assertTransition(state, 'suspended', 'suspend');
        event = { type: 'suspended', at, actor: actor.name, data: { reason } };
        break;
      case 'revoke':
        asAdmin();
        if (!reason) throw new OhwError('INVALID_REQUEST', 'revoking needs a "reason": it stays public with the certificate');
        assertTransition(state, 'revoked', 'revoke');
        event = { type: 'revoked', at, actor: actor.name, data: { reason } };
        break;
      case 'reinstate':
        asAdmin();
        if (state !== 'suspended') refuseTransition(state, 'reinstate');
        event = { type: 'reinstated', at, actor: actor.name, data: reason ? { reason } : {} };
        break;
      case 'renew': {
        asHolder();
        if (state !== 'certified' && state !== 'expired') refuseTransition(state, 'renew');
        const base = Math.max(deps.now().getTime(), new Date(view.certificate!.validUntil).getTime());
        event = { type: 'renewed', at, actor: actor.name, data: { validUntil: new Date(base + VALIDITY_MS).toISOString() } };
        break;
      }
      case 'resubmit': {
        enforce(mayRequestCertification(actor, view.package, holders));
        assertTransition(state, 'submitted', 'resubmit');
        if (typeof body.version !== 'string') throw new OhwError('INVALID_REQUEST', 'resubmitting needs the new "version"');
        const record = await requireVersion(deps, view.package, body.version);
        if (record.version === view.version) throw new OhwError('CONFLICT', 'resubmit a new version with the requested changes, not the same one');
        if ((await deps.designs.state(view.package)).yanked[record.version]) throw new OhwError('CONFLICT', `${view.package}@${record.version} is yanked; resubmit a version that is not`);
        await assertResponsibleParty(deps, view.package, record.version);
        event = { type: 'resubmitted', at, actor: actor.name, data: { version: record.version, checksum: record.meta.checksum, tag: record.tag } };
        break;
      }
    }
    await append(deps, view.package, id, text, [event], personOf(actor));
    if (action === 'resubmit') await runAutomaticChecks(deps, id);
    forgetIndex(deps);
    await refreshDerived(deps, view.package, `certification ${id}: ${action}`);
    return readCertification(deps, id);
  });
}

/** GET /certifications/:id */
export async function readCertification(deps: Deps, id: string) {
  const { view } = await loadRecord(deps, id);
  const yanked = Boolean((await deps.designs.state(view.package)).yanked[view.version]);
  const state = effectiveState(view, deps.now());
  return {
    id: view.id,
    package: view.package,
    version: view.version,
    checksum: view.checksum,
    tag: view.tag,
    state,
    quorum: view.quorum,
    approvals: view.reviews.filter((r) => r.decision === 'approve').length,
    owners: view.owners,
    checks: view.checks,
    checksPassed: view.checksPassed,
    checklist: CHECKLIST,
    reviews: view.allReviews,
    certificate: view.certificate ? { ...view.certificate, state } : null,
    flags: yanked ? ['version-yanked'] : [],
    history: view.events.map((e) => ({ seq: e.seq, type: e.type, at: e.at, actor: e.actor, ...('reason' in e.data && e.data.reason ? { reason: e.data.reason } : {}) })),
  };
}

/** GET /certificates/:uid — the certificate with where to verify it. */
export async function readCertificate(deps: Deps, uid: string) {
  if (!UID_PATTERN.test(uid)) throw new OhwError('NOT_FOUND', `certificate ${uid} not found`);
  const pointer = await deps.index.read(certificatePath(uid));
  if (!pointer) throw new OhwError('NOT_FOUND', `certificate ${uid} not found`);
  const { certification } = JSON.parse(pointer) as { certification: string };
  const c = await readCertification(deps, certification);
  if (!c.certificate || c.certificate.uid !== uid) throw new OhwError('INTERNAL', `certificate ${uid} does not match its record`);
  const issued = (await deps.index.history(certificatePath(uid)))[0];
  return {
    ...c.certificate,
    flags: c.flags,
    /** Who may use the mark for products of this version: owners, and producers with an endorsed successful build. */
    markHolders: await markHoldersOf(deps, c.package, c.version),
    record: { path: recordPath(certification), commit: issued?.commit ?? null, repository: '/git/index.git' },
  };
}
