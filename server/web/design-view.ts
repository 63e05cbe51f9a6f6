/**
 * What a design page shows, gathered from the same services the JSON API answers with: the
 * package read, the version read, the exploded BOM, where-used, forks and certifications. No
 * rule is decided here; "latest" is the package read's, which asks latestVisible.
 */
import { OhwError } from '../../schema/errors.ts';
import type { Deps } from '../services/deps.ts';
import { readDesign, readVersion } from '../services/read-design.ts';
import { bomOfVersion, type BomReport } from '../services/explode-bom.ts';
import { dependentsOf, type DependentsReport } from '../services/dependents.ts';
import { readForks, type ForksView } from '../services/upstream-changes.ts';
import { certificationsOf } from '../services/certification.ts';
import { listBuilds } from '../services/production/builds.ts';
import { designProducers } from '../services/production/producers.ts';
import { offersOfDesign } from '../services/production/offers.ts';
import type { PackageRead } from '../services/package-read.ts';
import { renderMarkdown } from './markdown.ts';
import { rasterContentType, rasterTypeOf } from './raster.ts';

export type VersionRead = Awaited<ReturnType<typeof readVersion>>;

export interface DesignView {
  pkg: PackageRead;
  version: VersionRead;
  readmeHtml: string | undefined;
  images: string[];
  bom?: BomReport;
  bomError?: string;
  batch: number;
  dependents: DependentsReport;
  forks: ForksView;
  certifications: Awaited<ReturnType<typeof certificationsOf>>;
  builds: Awaited<ReturnType<typeof listBuilds>>;
  /** Producers whose profile covers this version, counted per region; undefined for a yanked version. */
  capableByRegion?: Record<string, number>;
  offers?: Awaited<ReturnType<typeof offersOfDesign>>['offers'];
}

/** Images shown on the page: the declared photos first, then other raster files; at most 6. */
const MAX_IMAGES = 6;
/** README bytes rendered; longer READMEs are cut (the file stays downloadable in full). */
export const MAX_README_BYTES = 512 * 1024;

export const versionBase = (pkg: string, version: string) => `/designs/${pkg}/v/${version}`;

/** The version a bare `/designs/:owner/:name` shows: the package read's `latest`. */
export async function latestVersionOf(deps: Deps, raw: string): Promise<string> {
  const pkg = await readDesign(deps, raw);
  if (!pkg.latest) throw new OhwError('NOT_FOUND', `${pkg.package} has no version that is not yanked; see its versions with \`ohw info ${pkg.package}\``);
  return pkg.latest;
}

export async function readmeOf(deps: Deps, pkg: string, version: VersionRead): Promise<string | undefined> {
  const path = version.manifest.docs.readme;
  const data = await deps.designs.readFile(pkg, version.version, path);
  if (!data) return undefined;
  const text = Buffer.from(data.subarray(0, MAX_README_BYTES)).toString('utf8');
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  return renderMarkdown(text, { base: versionBase(pkg, version.version), dir, files: new Set(version.files.map((f) => f.path)) });
}

export async function designView(deps: Deps, raw: string, versionId: string, batch: number): Promise<DesignView> {
  const version = await readVersion(deps, raw, versionId);
  const pkgName = version.package;
  // The production network answers for usable (non-yanked) versions only: none is shown otherwise.
  const unusable = () => undefined;
  const [pkg, readmeHtml, dependents, forks, certifications, builds, producers, offers] = await Promise.all([
    readDesign(deps, pkgName),
    readmeOf(deps, pkgName, version),
    dependentsOf(deps, pkgName),
    readForks(deps, pkgName),
    certificationsOf(deps, pkgName),
    listBuilds(deps, pkgName, version.version),
    designProducers(deps, pkgName, { version: version.version }).catch(unusable),
    offersOfDesign(deps, pkgName).catch(unusable),
  ]);
  const files = new Set(version.files.map((f) => f.path));
  const photos = (version.manifest.docs.photos ?? []).filter((p) => files.has(p) && rasterTypeOf(p));
  const others = version.files.map((f) => f.path).filter((p) => rasterTypeOf(p) && !photos.includes(p));
  // Only files whose bytes are what their name says (the image route refuses the others).
  const images: string[] = [];
  for (const p of [...photos, ...others]) {
    if (images.length >= MAX_IMAGES) break;
    const data = await deps.designs.readFile(pkgName, version.version, p);
    if (data && rasterContentType(p, data)) images.push(p);
  }
  const view: DesignView = { pkg, version, readmeHtml, images, batch, dependents, forks, certifications, builds };
  if (producers) view.capableByRegion = producers.capableByRegion;
  if (offers) view.offers = offers.offers;
  try {
    view.bom = await bomOfVersion(deps, pkgName, version.version, { batch });
  } catch (e) {
    // A BOM that cannot be exploded (a sub-assembly gone) must not take the page down.
    if (!(e instanceof OhwError)) throw e;
    view.bomError = e.message;
  }
  return view;
}
