/** DerivedStore in the operational database (tables/derived.ts). */
import type { Kysely, Transaction } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { IndexEntry } from '../../../schema/bom/where-used.ts';
import { documentDigest, type SearchDocument } from '../../domain/search-document.ts';
import type { DerivedPackage, DerivedStore, VersionRecord, VersionSummary } from '../ports.ts';
import type { Database } from './database.ts';
import type { Tables } from './tables.ts';

const WATERMARK = 'derived_index_head';

/** Package reads kept in memory (the hot read path); the rows stay the truth. */
const HOT_PACKAGES = 20_000;

export class SqlDerivedStore implements DerivedStore {
  readonly #k: Kysely<Tables>;
  readonly #now: () => Date;
  /**
   * One server process writes a data dir (server.lock), and every write of a package read goes
   * through save()/remove() here, which update this cache in the same step: it cannot go stale.
   */
  readonly #hot = new LRUCache<string, string>({ max: HOT_PACKAGES });

  constructor(db: Database, now: () => Date = () => new Date()) {
    this.#k = db.kysely;
    this.#now = now;
  }

  async version(pkg: string, version: string): Promise<VersionSummary | undefined> {
    const r = await this.#k.selectFrom('design_versions').selectAll().where('pkg', '=', pkg).where('version', '=', version).executeTakeFirst();
    if (!r) return undefined;
    const record: VersionRecord = {
      version: r.version, tag: r.tag, commit: r.commit_oid, tree: r.tree, publishedAt: r.published_at, meta: JSON.parse(r.meta_json),
    };
    return { pkg, record, manifest: JSON.parse(r.manifest_json), files: JSON.parse(r.files_json) };
  }

  async storedVersions(pkg: string): Promise<Set<string>> {
    const rows = await this.#k.selectFrom('design_versions').select('version').where('pkg', '=', pkg).execute();
    return new Set(rows.map((r) => r.version));
  }

  async packageJson(pkg: string): Promise<string | undefined> {
    const hot = this.#hot.get(pkg);
    if (hot !== undefined) return hot;
    const text = (await this.#k.selectFrom('design_packages').select('package_json').where('pkg', '=', pkg).executeTakeFirst())?.package_json;
    if (text !== undefined) this.#hot.set(pkg, text);
    return text;
  }

  async save(p: DerivedPackage, newVersions: VersionSummary[], watermark?: string): Promise<void> {
    const now = this.#now().toISOString();
    const packageText = JSON.stringify(p.packageJson);
    await this.#k.transaction().execute(async (trx) => {
      for (const v of newVersions) {
        await trx.insertInto('design_versions').values({
          pkg: v.pkg, version: v.record.version, tag: v.record.tag, commit_oid: v.record.commit, tree: v.record.tree,
          published_at: v.record.publishedAt, publisher: v.record.meta.publisher, checksum: v.record.meta.checksum,
          meta_json: JSON.stringify(v.record.meta), manifest_json: JSON.stringify(v.manifest), files_json: JSON.stringify(v.files),
        }).onConflict((oc) => oc.columns(['pkg', 'version']).doNothing()).execute();
        for (const d of v.record.meta.dependencies ?? []) {
          await trx.insertInto('design_dependencies').values({
            dependent: v.pkg, dependent_version: v.record.version, dependency: d.package, range: d.range, resolved: d.version, yanked: 0,
          }).onConflict((oc) => oc.columns(['dependent', 'dependent_version', 'dependency']).doNothing()).execute();
        }
      }
      await trx.updateTable('design_dependencies').set({ yanked: 0 }).where('dependent', '=', p.pkg).execute();
      if (p.yanked.length) {
        await trx.updateTable('design_dependencies').set({ yanked: 1 }).where('dependent', '=', p.pkg).where('dependent_version', 'in', p.yanked).execute();
      }
      const row = {
        package_json: packageText,
        search_doc_json: p.searchDoc ? JSON.stringify(p.searchDoc) : null,
        search_doc_digest: p.searchDoc ? documentDigest(p.searchDoc) : null,
        latest: p.latest,
        updated_at: now,
        fork_of: p.forkOf,
      };
      await trx.insertInto('design_packages').values({ pkg: p.pkg, ...row })
        .onConflict((oc) => oc.column('pkg').doUpdateSet(row)).execute();
      await trx.deleteFrom('derived_pending').where('pkg', '=', p.pkg).execute();
      if (watermark) await setMeta(trx, WATERMARK, watermark);
    });
    this.#hot.set(p.pkg, packageText);
  }

  async remove(pkg: string, watermark?: string): Promise<void> {
    this.#hot.delete(pkg);
    await this.#k.transaction().execute(async (trx) => {
      await trx.deleteFrom('design_versions').where('pkg', '=', pkg).execute();
      await trx.deleteFrom('design_dependencies').where('dependent', '=', pkg).execute();
      await trx.deleteFrom('design_packages').where('pkg', '=', pkg).execute();
      await trx.deleteFrom('derived_pending').where('pkg', '=', pkg).execute();
      if (watermark) await setMeta(trx, WATERMARK, watermark);
    });
  }

  async dependentEntries(pkg: string): Promise<IndexEntry[]> {
    // Reverse breadth-first walk over the edges, then every edge of each design found, so the
    // pure where-used traversal sees complete entries for exactly the designs that matter.
    const seen = new Set<string>([pkg]);
    let frontier = [pkg];
    while (frontier.length) {
      const rows = await this.#k.selectFrom('design_dependencies').select('dependent').distinct().where('dependency', 'in', frontier).execute();
      frontier = rows.map((r) => r.dependent).filter((d) => !seen.has(d));
      for (const d of frontier) seen.add(d);
    }
    seen.delete(pkg);
    if (!seen.size) return [];
    const edges = await this.#k.selectFrom('design_dependencies').selectAll().where('dependent', 'in', [...seen]).execute();
    const byVersion = new Map<string, IndexEntry & { dependencies: NonNullable<IndexEntry['dependencies']> }>();
    for (const e of edges) {
      const key = `${e.dependent}@${e.dependent_version}`;
      let entry = byVersion.get(key);
      if (!entry) {
        entry = { package: e.dependent, version: e.dependent_version, yanked: e.yanked === 1, dependencies: [] };
        byVersion.set(key, entry);
      }
      entry.dependencies.push({ package: e.dependency, range: e.range, version: e.resolved });
    }
    return [...byVersion.values()];
  }

  async searchDocuments(): Promise<SearchDocument[]> {
    const rows = await this.#k.selectFrom('design_packages').select('search_doc_json').where('search_doc_json', 'is not', null).orderBy('pkg').execute();
    return rows.map((r) => JSON.parse(r.search_doc_json!) as SearchDocument);
  }

  async searchDocumentsById(ids: string[]): Promise<SearchDocument[]> {
    if (!ids.length) return [];
    const pkgs = ids.map((id) => id.replace('--', '/'));
    const rows = await this.#k.selectFrom('design_packages').select('search_doc_json').where('pkg', 'in', pkgs).where('search_doc_json', 'is not', null).execute();
    return rows.map((r) => JSON.parse(r.search_doc_json!) as SearchDocument);
  }

  async searchDigests(): Promise<Map<string, string>> {
    const rows = await this.#k.selectFrom('design_packages').select(['pkg', 'search_doc_digest']).where('search_doc_digest', 'is not', null).execute();
    return new Map(rows.map((r) => [r.pkg.replace('/', '--'), r.search_doc_digest!]));
  }

  async packages(): Promise<string[]> {
    return (await this.#k.selectFrom('design_packages').select('pkg').orderBy('pkg').execute()).map((r) => r.pkg);
  }

  async forksOf(pkg: string): Promise<string[]> {
    return (await this.#k.selectFrom('design_packages').select('pkg').where('fork_of', '=', pkg).orderBy('pkg').execute()).map((r) => r.pkg);
  }

  async upstreams(): Promise<Set<string>> {
    const rows = await this.#k.selectFrom('design_packages').select('fork_of').distinct().where('fork_of', 'is not', null).execute();
    return new Set(rows.map((r) => r.fork_of!));
  }

  async markPending(pkg: string): Promise<void> {
    await this.#k.insertInto('derived_pending').values({ pkg, since: this.#now().toISOString() })
      .onConflict((oc) => oc.column('pkg').doNothing()).execute();
  }

  async pending(): Promise<string[]> {
    return (await this.#k.selectFrom('derived_pending').select('pkg').orderBy('pkg').execute()).map((r) => r.pkg);
  }

  async watermark(): Promise<string | undefined> {
    return (await this.#k.selectFrom('meta').select('value').where('key', '=', WATERMARK).executeTakeFirst())?.value;
  }

  async setWatermark(head: string): Promise<void> {
    await setMeta(this.#k, WATERMARK, head);
  }
}

async function setMeta(db: Kysely<Tables> | Transaction<Tables>, key: string, value: string): Promise<void> {
  await db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}
