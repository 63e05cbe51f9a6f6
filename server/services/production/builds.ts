/**
 * Build reports: public, append-only facts in index.git (`builds/<owner>/<name>/<version>.jsonl`),
 * each report and each endorsement its own commit authored by the actor's no-reply identity. The
 * design's derived views (package read, search document) are refreshed after each one.
 */
import { OhwError } from '../../../schema/errors.ts';
import {
  appendLine, buildsPath, markHolders, parseBuildReport, parseLines, performanceOf, replayBuilds, summarizeBuilds,
  type ReportView,
} from '../../domain/production/builds.ts';
import type { IndexStore } from '../../store/ports.ts';
import { personOf, type Actor, type Deps } from '../deps.ts';
import { announce, refreshDerived } from '../derived-views.ts';
import { requireDesign, requireVersion } from '../read-design.ts';

/** One writer at a time per index: the append reads the file it extends. */
const queues = new WeakMap<IndexStore, Promise<unknown>>();
function serialized<T>(deps: Deps, work: () => Promise<T>): Promise<T> {
  const prev = queues.get(deps.index) ?? Promise.resolve();
  const next = prev.then(work, work);
  queues.set(deps.index, next.catch(() => undefined));
  return next;
}

async function reportsOf(deps: Deps, pkg: string, version: string): Promise<ReportView[]> {
  return replayBuilds(parseLines(await deps.index.read(buildsPath(pkg, version))));
}

/** POST /designs/:owner/:name/versions/:version/builds */
export function reportBuild(deps: Deps, actor: Actor, rawPkg: string, version: string, body: unknown) {
  return serialized(deps, async () => {
    const pkg = await requireDesign(deps, rawPkg);
    const record = await requireVersion(deps, pkg, version);
    const manifest = await deps.manifests.get(pkg, record.version);
    const report = parseBuildReport(body, manifest);
    for (const ph of report.photos) {
      if (!(await deps.photos.has(ph.slice('sha256:'.length)))) {
        throw new OhwError('INVALID_REQUEST', `photos: ${ph} was not uploaded; upload it first (POST /api/v1/photos)`);
      }
    }
    const path = buildsPath(pkg, record.version);
    const text = await deps.index.read(path);
    if (report.corrects) {
      const old = replayBuilds(parseLines(text)).find((r) => r.id === report.corrects);
      if (!old) throw new OhwError('INVALID_REQUEST', `corrects: report ${report.corrects} of ${pkg}@${record.version} not found`);
      if (old.reporter !== actor.name) throw new OhwError('FORBIDDEN', `report ${report.corrects} is ${old.reporter}'s; a correction comes from its reporter`);
    }
    const { text: next, seq } = appendLine(text, { type: 'report', at: deps.now().toISOString(), actor: actor.name, data: { ...report } });
    await announce(deps, pkg);
    const commit = await deps.index.commit([{ path, content: next }], personOf(actor), `build report ${seq} of ${pkg}@${record.version}: ${report.outcome}`);
    await refreshDerived(deps, pkg, `builds of ${pkg}`);
    const view = (await reportsOf(deps, pkg, record.version)).find((r) => r.id === String(seq))!;
    return { package: pkg, version: record.version, ...view, record: { path, commit, repository: '/git/index.git' } };
  });
}

/** POST …/builds/:id/endorse — an owner vouches for a report (its reporter may then use the certified mark). */
export function endorseBuild(deps: Deps, actor: Actor, rawPkg: string, version: string, id: string) {
  return serialized(deps, async () => {
    const pkg = await requireDesign(deps, rawPkg);
    const record = await requireVersion(deps, pkg, version);
    const owners = (await deps.designs.state(pkg)).owners;
    if (!owners.includes(actor.name)) throw new OhwError('FORBIDDEN', `only owners of ${pkg} endorse its build reports (owners: ${owners.join(', ')})`);
    const path = buildsPath(pkg, record.version);
    const text = await deps.index.read(path);
    const report = replayBuilds(parseLines(text)).find((r) => r.id === id);
    if (!report) throw new OhwError('NOT_FOUND', `build report ${id} of ${pkg}@${record.version} not found`);
    if (report.endorsedBy.includes(actor.name)) throw new OhwError('CONFLICT', `you have already endorsed report ${id}`);
    const { text: next } = appendLine(text, { type: 'endorsement', at: deps.now().toISOString(), actor: actor.name, data: { report: id } });
    await announce(deps, pkg);
    await deps.index.commit([{ path, content: next }], personOf(actor), `endorse build report ${id} of ${pkg}@${record.version}`);
    await refreshDerived(deps, pkg, `builds of ${pkg}`);
    return (await reportsOf(deps, pkg, record.version)).find((r) => r.id === id)!;
  });
}

/** GET …/versions/:version/builds */
export async function listBuilds(deps: Deps, rawPkg: string, version: string) {
  const pkg = await requireDesign(deps, rawPkg);
  const record = await requireVersion(deps, pkg, version);
  const manifest = await deps.manifests.get(pkg, record.version);
  const reports = await reportsOf(deps, pkg, record.version);
  const owners = (await deps.designs.state(pkg)).owners;
  return {
    package: pkg,
    version: record.version,
    summary: summarizeBuilds(reports, performanceOf(manifest), owners, 0),
    reports: [...reports].reverse(),
    record: { path: buildsPath(pkg, record.version), repository: '/git/index.git' },
  };
}

/** Who may use the certified mark of `pkg@version`. */
export async function markHoldersOf(deps: Deps, pkg: string, version: string) {
  const owners = (await deps.designs.state(pkg)).owners;
  return markHolders(await reportsOf(deps, pkg, version), owners);
}

/** For the certification checks: current reports of a version, with whether the reporter is independent. */
export async function buildEvidence(deps: Deps, pkg: string, version: string, owners: readonly string[]) {
  return (await reportsOf(deps, pkg, version)).map((r) => ({ ...r, independent: !owners.includes(r.reporter) }));
}

/**
 * `badge.svg?producer=ACCOUNT` answers only for those who may use the mark: 404 for an account
 * that does not exist, 403 for one that is neither an owner nor an endorsed producer.
 */
export async function requireMarkHolder(deps: Deps, holders: { owners: string[]; producers: string[] }, raw: unknown): Promise<void> {
  const name = typeof raw === 'string' ? raw : '';
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) || !(await deps.accounts.get(name))) throw new OhwError('NOT_FOUND', `account ${JSON.stringify(name)} not found`);
  if (!holders.owners.includes(name) && !holders.producers.includes(name)) {
    throw new OhwError('FORBIDDEN', `${name} may not use this mark: it belongs to the design's owners and to producers whose successful build report of this version an owner endorsed`);
  }
}
