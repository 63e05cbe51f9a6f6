import { OhwError, type Issue } from '../../schema/errors.ts';
import { readArchive } from '../../schema/archive.ts';
import { fileHashes, packageChecksum } from '../../schema/checksum.ts';
import { validateDesign } from '../../schema/manifest/index.ts';
import { findTooSimilar, parsePackageName } from '../../schema/names.ts';
import { parseVersion } from '../../schema/versions.ts';
import { designSource } from '../../io/design-folder.ts';
import type { Manifest } from '../../schema/types.ts';
import type { VersionMeta, VersionRecord } from '../store/ports.ts';
import { personOf, type Actor, type Deps } from './deps.ts';
import { announce, refreshDerived } from './derived-views.ts';
import { resolvePublishDependencies } from './resolve-dependencies.ts';
import { checkForkLineage } from './fork-lineage.ts';
import { enforce, hasScope, mayActAsOwner, mayCreateIn } from '../domain/policy.ts';
import { revokeLeakedTokens } from './leaked-tokens.ts';

export interface PublishRequest {
  pkg: string;
  version: string;
  archive: Uint8Array;
  actor: Actor;
  sourceCommit?: string;
}

export interface PublishResult {
  package: string;
  version: string;
  checksum: string;
  commit: string;
  tag: string;
  tree: string;
  publishedAt: string;
  dependencies: VersionMeta['dependencies'];
  warnings: Issue[];
}

/**
 * Publish one immutable version. Order matters: everything before `designs.publish` (which
 * creates the tag ref by compare-and-swap) is invisible, so a refusal or a crash there leaves
 * nothing behind; everything after it is derived and repaired by rebuild-derived.
 */
export async function publishVersion(deps: Deps, req: PublishRequest): Promise<PublishResult> {
  const { full: pkg } = parsePackageName(req.pkg);
  parseVersion(req.version);
  if (!hasScope(req.actor, 'publish')) throw new OhwError('FORBIDDEN', 'this token does not have the "publish" scope');
  if (req.sourceCommit !== undefined && !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(req.sourceCommit)) {
    throw new OhwError('INVALID_REQUEST', `invalid source commit "${req.sourceCommit}": expected a full git object id`);
  }

  const exists = await deps.designs.exists(pkg);
  if (exists) {
    await assertOwner(deps, pkg, req.actor);
    if (await deps.designs.version(pkg, req.version)) {
      throw new OhwError('VERSION_EXISTS', `version ${req.version} of ${pkg} already exists; published versions never change — publish a new version`);
    }
  } else {
    // The owner segment is a namespace: a new design lives under its publisher's account name.
    enforce(mayCreateIn(req.actor, pkg.split('/')[0]!));
    const similar = findTooSimilar(pkg, await deps.designs.list());
    if (similar) {
      throw new OhwError('NAME_TOO_SIMILAR', `"${pkg}" is too similar to the existing design "${similar}"; choose a more distinct name`);
    }
  }

  const files = await readArchive(req.archive, deps.limits);
  const leaked = await revokeLeakedTokens(deps, files);
  if (leaked.length) throw new OhwError('INVALID_ARCHIVE', `the package contains ${leaked.length} live registry token(s); they have been revoked and nothing was published`, { issues: leaked });
  const validation = validateDesign(designSource(files));
  const errors = validation.issues.filter((i) => i.severity === 'error');
  if (!validation.manifest || errors.length) {
    throw new OhwError('INVALID_MANIFEST', `design.yaml has ${errors.length} problem(s)`, { issues: validation.issues });
  }
  const manifest = validation.manifest;
  const yaml = Buffer.from(files.find((f) => f.path === 'design.yaml')!.data).toString('utf8');
  assertIdentity(manifest, pkg, req.version, yaml);

  const state = exists ? await deps.designs.state(pkg) : undefined;
  await checkForkLineage(deps, pkg, manifest, state);
  const dependencies = await resolvePublishDependencies(deps, pkg, req.version, manifest);

  await announce(deps, pkg);
  if (!exists) {
    try {
      await deps.designs.create(pkg, { owners: [req.actor.name], yanked: {}, createdAt: deps.now().toISOString() }, personOf(req.actor));
    } catch (e) {
      // Lost a race to create the same design: carry on only if the winner made us an owner.
      if (!(e instanceof OhwError && e.code === 'NAME_TAKEN')) throw e;
      await assertOwner(deps, pkg, req.actor);
    }
  }

  const hashes = fileHashes(files);
  const meta: VersionMeta = {
    checksum: packageChecksum(files, hashes),
    publisher: req.actor.name,
    dependencies,
    license: manifest.license,
  };
  if (req.sourceCommit) meta.sourceCommit = req.sourceCommit;
  const record: VersionRecord = await deps.designs.publish(pkg, {
    version: req.version,
    files,
    meta,
    author: personOf(req.actor),
    message: `${pkg} ${req.version}\n\n${manifest.summary}`,
    date: deps.now(),
  });
  await refreshDerived(deps, pkg, `publish ${pkg}@${req.version}`, { fresh: { version: req.version, files, manifest, archive: req.archive, hashes } });

  return {
    package: pkg,
    version: record.version,
    checksum: record.meta.checksum,
    commit: record.commit,
    tag: record.tag,
    tree: record.tree,
    publishedAt: record.publishedAt,
    dependencies,
    warnings: validation.issues.filter((i) => i.severity === 'warning'),
  };
}

export async function assertOwner(deps: Deps, pkg: string, actor: Actor): Promise<void> {
  enforce(mayActAsOwner(actor, pkg, (await deps.designs.state(pkg)).owners));
}

/** Line and column of a top-level key's value in design.yaml (the validator accepted it). */
function locateTopLevel(yaml: string, key: string): { line: number; column: number } {
  const lines = yaml.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  if (i < 0) return { line: 0, column: 0 };
  const value = /^[^:]*:\s*/.exec(lines[i]!)![0].length;
  return { line: i + 1, column: value + 1 };
}

function assertIdentity(manifest: Manifest, pkg: string, version: string, yaml: string): void {
  const issues: Issue[] = [];
  if (manifest.name !== pkg) {
    issues.push({ file: 'design.yaml', path: 'name', ...locateTopLevel(yaml, 'name'), code: 'name-mismatch', severity: 'error',
      message: `name "${manifest.name}" does not match the package being published ("${pkg}")` });
  }
  if (manifest.version !== version) {
    issues.push({ file: 'design.yaml', path: 'version', ...locateTopLevel(yaml, 'version'), code: 'version-mismatch', severity: 'error',
      message: `version "${manifest.version}" does not match the version being published ("${version}")` });
  }
  if (issues.length) throw new OhwError('INVALID_MANIFEST', issues.map((i) => i.message).join('; '), { issues });
}
