/**
 * The queue of incremental writes for Meilisearch: the latest intent per document id (upsert or
 * remove), each tagged with the generation of the write call that made it, in arrival order.
 * Batches are taken of one kind at a time; a batch that could not be sent goes back, unless a
 * newer intent for the same id arrived meanwhile.
 */
import type { SearchDocument } from '../domain/search-document.ts';

export interface Entry {
  /** null: remove. */
  doc: SearchDocument | null;
  gen: number;
}

export interface Batch {
  kind: 'upsert' | 'remove';
  entries: Map<string, Entry>;
  /** The Meilisearch task, once enqueued: from then on the batch is never sent again. */
  uid?: number;
}

export class WriteQueue {
  private entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  add(id: string, entry: Entry): void {
    this.entries.delete(id); // keep arrival order
    this.entries.set(id, entry);
  }

  /** Drop what a snapshot taken at `gen` supersedes. */
  dropOlderThan(gen: number): void {
    for (const [id, e] of this.entries) if (e.gen < gen) this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }

  take(batchSize: number): Batch | undefined {
    const first = this.entries.values().next().value;
    if (!first) return undefined;
    const kind = first.doc ? 'upsert' : 'remove';
    const entries = new Map<string, Entry>();
    for (const [id, e] of this.entries) {
      if ((e.doc !== null) !== (kind === 'upsert')) continue;
      entries.set(id, e);
      if (entries.size >= batchSize) break;
    }
    for (const id of entries.keys()) this.entries.delete(id);
    return { kind, entries };
  }

  putBack(batch: Batch): void {
    const merged = new Map(batch.entries);
    for (const [id, e] of this.entries) merged.set(id, e);
    this.entries = merged;
  }

  /** Entries of generation ≤ gen still waiting. */
  holds(gen: number): boolean {
    for (const e of this.entries.values()) if (e.gen <= gen) return true;
    return false;
  }

  counts(): { upserts: number; removes: number } {
    let upserts = 0;
    for (const e of this.entries.values()) if (e.doc) upserts++;
    return { upserts, removes: this.entries.size - upserts };
  }
}

/** Wake-ups for callers waiting on the writers. */
export class Signal {
  private readonly waiters = new Set<() => void>();

  /** Resolves at the next notify(), or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  notify(): void {
    for (const w of [...this.waiters]) w();
  }
}
