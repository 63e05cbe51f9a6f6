/**
 * Index-level operations on Meilisearch, each a task followed to its end: what index is there
 * (createdAt is its identity), which settings are in force (applied only when they differ, then
 * read back), a full rebuild into `<index>_rebuild` swapped in atomically, and drop.
 */
import type { Meilisearch, Settings } from 'meilisearch';
import type { SearchDocument } from '../domain/search-document.ts';
import { errorCode } from './meili-errors.ts';
import { settingsDiff } from './meili-settings.ts';
import type { TaskFollower } from './meili-tasks.ts';

export interface AdminOptions {
  client: Meilisearch;
  indexName: string;
  settings: Settings;
  batchSize: number;
  tasks: TaskFollower;
  logOnce: (key: string, line: string) => void;
}

export class MeiliIndexAdmin {
  constructor(private readonly o: AdminOptions) {}

  get tmpName(): string {
    return `${this.o.indexName}_rebuild`;
  }

  /** The index's identity, or undefined when there is no such index. */
  async rawIndex(uid: string): Promise<{ createdAt: string } | undefined> {
    try {
      return await this.o.client.getRawIndex(uid);
    } catch (e) {
      if (errorCode(e) === 'index_not_found') return undefined;
      throw e;
    }
  }

  /** Apply our settings when the ones in force differ; returns what still differs after that. */
  async applySettings(uid: string): Promise<string[]> {
    const index = this.o.client.index(uid);
    if ((await this.settingsDiff(uid)).length === 0) return [];
    await this.o.tasks.run(index.updateSettings(this.o.settings), `update settings ${uid}`);
    const diff = await this.settingsDiff(uid);
    if (diff.length) this.o.logOnce('settings', `search: Meilisearch index ${uid} keeps other settings than ours for ${diff.join(', ')} (sorting and filters may be wrong)`);
    return diff;
  }

  private async settingsDiff(uid: string): Promise<string[]> {
    return settingsDiff(this.o.settings, (await this.o.client.index(uid).getSettings()) as Record<string, unknown>);
  }

  /**
   * Fill the temporary index with `all` and swap it in. Returns the live index's new createdAt, or
   * undefined when `stillWanted()` turned false on the way (a newer rebuild superseded this one).
   */
  async fillAndSwap(all: SearchDocument[], stillWanted: () => boolean): Promise<string | undefined> {
    const { client, tasks } = this.o;
    const live = this.o.indexName;
    const tmp = this.tmpName;
    const docs = [...new Map(all.filter((d) => !d.yanked).map((d) => [d.id, d])).values()];
    await tasks.run(client.deleteIndex(tmp), `delete index ${tmp}`, ['index_not_found']);
    await tasks.run(client.createIndex(tmp, { primaryKey: 'id' }), `create index ${tmp}`);
    await this.applySettings(tmp);
    const tmpIndex = client.index<SearchDocument>(tmp);
    for (let i = 0; i < docs.length; i += this.o.batchSize) {
      if (!stillWanted()) return undefined;
      await tasks.run(tmpIndex.addDocuments(docs.slice(i, i + this.o.batchSize), { primaryKey: 'id' }), `add documents ${tmp}`);
    }
    if (!stillWanted()) return undefined;
    // Still our copy, complete and configured? (An operator may have deleted it meanwhile, and an
    // implicitly recreated one would be bare.)
    const stats = await tmpIndex.getStats();
    const diff = await this.settingsDiff(tmp);
    if (stats.numberOfDocuments !== docs.length || diff.length > 0) {
      throw new Error(`rebuild index ${tmp} incomplete (${stats.numberOfDocuments}/${docs.length} documents, settings ${diff.join(', ') || 'ok'})`);
    }
    await tasks.run(client.createIndex(live, { primaryKey: 'id' }), `create index ${live}`, ['index_already_exists']);
    // `rename` is left out on purpose: servers before v1.18 reject the unknown field; false is the default.
    await tasks.run(client.swapIndexes([{ indexes: [live, tmp] } as Parameters<Meilisearch['swapIndexes']>[0][number]]), 'swap indexes');
    await tasks.run(client.deleteIndex(tmp), `delete index ${tmp}`, ['index_not_found']);
    const info = await this.rawIndex(live);
    if (!info) throw new Error(`index ${live} missing right after the swap`);
    return info.createdAt;
  }

  /** Delete the index and its rebuild copy. */
  async dropAll(): Promise<void> {
    for (const uid of [this.o.indexName, this.tmpName]) await this.o.tasks.run(this.o.client.deleteIndex(uid), `delete index ${uid}`, ['index_not_found']);
  }
}
