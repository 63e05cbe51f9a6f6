import type { Manifest } from '../../schema/types.ts';
import { OhwError } from '../../schema/errors.ts';
import { validateDesign } from '../../schema/manifest/index.ts';
import { designSource } from '../../io/design-folder.ts';
import type { DesignStore } from '../store/ports.ts';

/**
 * Parsed manifests of published versions. Versions are immutable, so an entry never goes stale;
 * the cap only bounds memory. Index regeneration, search documents and BOM resolution all read
 * manifests, and re-parsing a 2,000-line BOM on every read would dominate their cost.
 */
export class ManifestCache {
  private readonly entries = new Map<string, Promise<Manifest>>();

  constructor(private readonly designs: DesignStore, private readonly max = 2000) {}

  get(pkg: string, version: string): Promise<Manifest> {
    const key = `${pkg}@${version}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh recency: Map keeps insertion order, so re-inserting moves it to the end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const loading = this.load(pkg, version);
    this.entries.set(key, loading);
    loading.catch(() => this.entries.delete(key));
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return loading;
  }

  /** Seed the cache at publish time with the manifest we just validated. */
  put(pkg: string, version: string, manifest: Manifest): void {
    this.entries.set(`${pkg}@${version}`, Promise.resolve(manifest));
  }

  private async load(pkg: string, version: string): Promise<Manifest> {
    const files = await this.designs.readFiles(pkg, version);
    const result = validateDesign(designSource(files));
    if (!result.manifest) {
      // A published version validated when it was published; failing now means the schema
      // tightened since. Keep serving it rather than hiding a published version.
      throw new OhwError('INTERNAL', `the manifest of ${pkg}@${version} no longer parses`, { issues: result.issues });
    }
    return result.manifest;
  }
}
