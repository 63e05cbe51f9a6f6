import { LRUCache } from 'lru-cache';
import type { Manifest } from '../../schema/types.ts';
import { OhwError } from '../../schema/errors.ts';
import { validateDesign } from '../../schema/manifest/index.ts';
import { designSource } from '../../io/design-folder.ts';
import type { DesignStore } from '../store/ports.ts';

/**
 * Parsed manifests of published versions. Versions are immutable, so an entry never goes stale;
 * the cap (least recently used first out) only bounds memory. Index regeneration, search
 * documents and BOM resolution all read manifests, and re-parsing a 2,000-line BOM on every read
 * would dominate their cost. Loads in flight are shared; a failed load is not kept.
 */
export class ManifestCache {
  private readonly entries: LRUCache<string, Promise<Manifest>>;

  constructor(private readonly designs: DesignStore, max = 2000) {
    this.entries = new LRUCache({ max });
  }

  get(pkg: string, version: string): Promise<Manifest> {
    const key = `${pkg}@${version}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const loading = this.load(pkg, version);
    this.entries.set(key, loading);
    loading.catch(() => { if (this.entries.peek(key) === loading) this.entries.delete(key); });
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
