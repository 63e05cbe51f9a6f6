/**
 * A small Meilisearch v1.x at the HTTP boundary, for the contract suite and the adapter's failure
 * tests. It answers like the real server (documented API; crates/meilisearch) on what the adapter
 * depends on:
 * - errors are `{message, code, type, link}` with the real codes and statuses: index_not_found
 *   (404), index_already_exists, task_not_found, missing_authorization_header (401),
 *   invalid_api_key (403), invalid_search_filter/sort/facets (400);
 * - writes are tasks: 202 with a summarized task, then enqueued → processing → succeeded|failed,
 *   processed in order; `holdTasks()` keeps them waiting (a slow server) until `releaseTasks()`;
 * - adding documents to, or updating the settings of, a missing index creates it implicitly —
 *   documents with DEFAULT settings; deleting documents from a missing index fails;
 * - settings: full defaults, PATCH merges, GET reports them all (sets sorted);
 * - with `masterKey` set, every route but /health needs `Authorization: Bearer <key>`;
 * - search: see ./fake-meili-search.ts (ranking-rule order, query syntax, 10-word limit,
 *   maxValuesPerFacet, maxTotalHits).
 * `mode = 'error500'` makes every route answer 500; `stop()` makes connections fail.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { search, SearchError, type Doc, type Settings } from './fake-meili-search.ts';

export type FakeMode = 'up' | 'error500' | 'failTasks';

export interface FakeIndex {
  uid: string;
  primaryKey: string | null;
  createdAt: string;
  updatedAt: string;
  docs: Map<string, Doc>;
  settings: Settings;
}

interface FakeTask {
  uid: number;
  indexUid: string | null;
  type: string;
  status: 'enqueued' | 'processing' | 'succeeded' | 'failed';
  error: { code: string; message: string; type: string; link: string } | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  apply: () => FakeTask['error'];
}

export function defaultSettings(): Settings {
  return {
    displayedAttributes: ['*'],
    searchableAttributes: ['*'],
    filterableAttributes: [],
    sortableAttributes: [],
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
    stopWords: [],
    nonSeparatorTokens: [],
    separatorTokens: [],
    dictionary: [],
    synonyms: {},
    distinctAttribute: null,
    proximityPrecision: 'byWord',
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [], disableOnNumbers: false },
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' } },
    pagination: { maxTotalHits: 1000 },
    searchCutoffMs: null,
    localizedAttributes: null,
    facetSearch: true,
    prefixSearch: 'indexingTime',
  };
}

const NESTED = new Set(['typoTolerance', 'faceting', 'pagination']);

const err = (code: string, message: string, type = 'invalid_request') => ({ message, code, type, link: `https://docs.meilisearch.com/errors#${code}` });
const notFound = (uid: string) => err('index_not_found', `Index \`${uid}\` not found.`);

export class FakeMeili {
  mode: FakeMode = 'up';
  /** When set, requests need `Authorization: Bearer <masterKey>` (like `meilisearch --master-key`). */
  masterKey: string | undefined;
  /** Searches answer after this long (a server too busy to answer in time). */
  searchDelayMs = 0;
  /** Called just before a task is applied (a test can change the world in that window). */
  beforeTask: ((task: { type: string; indexUid: string | null }) => void) | undefined;
  readonly indexes = new Map<string, FakeIndex>();
  /** `METHOD path` of every request received (also while erroring). */
  readonly log: string[] = [];
  private tasks = new Map<number, FakeTask>();
  private queue: FakeTask[] = [];
  private held = false;
  private nextTask = 0;
  private clock = Date.parse('2026-01-01T00:00:00.000Z');
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  docs(index = 'designs'): Doc[] {
    return [...(this.indexes.get(index)?.docs.values() ?? [])];
  }

  /** How many requests matched `METHOD path`. */
  count(entry: string): number {
    return this.log.filter((l) => l === entry).length;
  }

  /** Tasks stay enqueued (a busy server) until releaseTasks(). */
  holdTasks(): void {
    this.held = true;
  }

  releaseTasks(): void {
    this.held = false;
    this.process();
  }

  taskStatuses(): string[] {
    return [...this.tasks.values()].map((t) => t.status);
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stop listening: connections are refused until start(port) again. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Like a restart on an empty data dir: no index, no task. */
  wipe(): void {
    this.indexes.clear();
    this.tasks.clear();
    this.queue = [];
  }

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** Create an index with default settings now (as another client would have). */
  createIndex(uid: string, primaryKey: string | null = null): FakeIndex {
    const at = this.now();
    const i: FakeIndex = { uid, primaryKey, createdAt: at, updatedAt: at, docs: new Map(), settings: defaultSettings() };
    this.indexes.set(uid, i);
    return i;
  }

  private enqueue(indexUid: string | null, type: string, apply: FakeTask['apply']): Record<string, unknown> {
    const uid = this.nextTask++;
    const task: FakeTask = { uid, indexUid, type, status: 'enqueued', error: null, enqueuedAt: this.now(), startedAt: null, finishedAt: null, apply };
    this.tasks.set(uid, task);
    this.queue.push(task);
    setImmediate(() => this.process());
    return { taskUid: uid, indexUid, status: 'enqueued', type, enqueuedAt: task.enqueuedAt };
  }

  /** Process enqueued tasks in order (one at a time, like the real scheduler). */
  private process(): void {
    while (!this.held && this.queue.length) {
      const task = this.queue.shift()!;
      task.status = 'processing';
      task.startedAt = this.now();
      this.beforeTask?.({ type: task.type, indexUid: task.indexUid });
      task.error = this.mode === 'failTasks' && task.type === 'documentAdditionOrUpdate' ? err('invalid_document_id', 'Document identifier is invalid.') : task.apply();
      task.status = task.error ? 'failed' : 'succeeded';
      task.finishedAt = this.now();
    }
    if (this.held && this.queue[0]) this.queue[0].status = 'processing';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    this.log.push(`${req.method} ${url.pathname}`);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (this.mode === 'error500') return send(500, err('internal', 'internal error', 'internal'));
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && parts[0] === 'health') return send(200, { status: 'available' });
    if (this.masterKey !== undefined) {
      const auth = req.headers.authorization;
      if (!auth) return send(401, err('missing_authorization_header', 'The Authorization header is missing. It must use the bearer authorization method.', 'auth'));
      if (auth !== `Bearer ${this.masterKey}`) return send(403, err('invalid_api_key', 'The provided API key is invalid.', 'auth'));
    }
    const accepted = (task: Record<string, unknown>) => send(202, task);

    if (req.method === 'GET' && parts[0] === 'tasks' && parts[1]) {
      const t = this.tasks.get(Number(parts[1]));
      if (!t) return send(404, err('task_not_found', `Task \`${parts[1]}\` not found.`));
      const { apply: _apply, ...view } = t;
      return send(200, { ...view, batchUid: t.status === 'enqueued' ? null : t.uid, canceledBy: null, details: {}, duration: null });
    }
    if (req.method === 'POST' && parts.length === 1 && parts[0] === 'indexes') {
      const { uid, primaryKey } = body as { uid: string; primaryKey?: string };
      return accepted(this.enqueue(uid, 'indexCreation', () => {
        if (this.indexes.has(uid)) return err('index_already_exists', `Index \`${uid}\` already exists.`);
        this.createIndex(uid, primaryKey ?? null);
        return null;
      }));
    }
    if (req.method === 'POST' && parts[0] === 'swap-indexes') {
      const swaps = body as Array<{ indexes: [string, string] }>;
      return accepted(this.enqueue(null, 'indexSwap', () => {
        for (const { indexes: [a, b] } of swaps) {
          const ia = this.indexes.get(a);
          const ib = this.indexes.get(b);
          if (!ia || !ib) return err('index_not_found', `Indexes \`${ia ? b : a}\` not found.`);
          this.indexes.set(a, { ...ib, uid: a });
          this.indexes.set(b, { ...ia, uid: b });
        }
        return null;
      }));
    }
    if (parts[0] !== 'indexes' || !parts[1]) return send(404, err('not_found', `fake: no route ${req.method} ${url.pathname}`));
    const uid = parts[1];
    const rest = parts.slice(2).join('/');
    const index = this.indexes.get(uid);
    const route = `${req.method} ${rest}`;
    switch (route) {
      case 'GET ': {
        if (!index) return send(404, notFound(uid));
        return send(200, { uid, primaryKey: index.primaryKey, createdAt: index.createdAt, updatedAt: index.updatedAt });
      }
      case 'DELETE ':
        return accepted(this.enqueue(uid, 'indexDeletion', () => (this.indexes.delete(uid) ? null : notFound(uid))));
      case 'GET stats': {
        if (!index) return send(404, notFound(uid));
        return send(200, { numberOfDocuments: index.docs.size, isIndexing: this.queue.some((t) => t.indexUid === uid), fieldDistribution: {} });
      }
      case 'GET settings': {
        if (!index) return send(404, notFound(uid));
        const s = structuredClone(index.settings);
        s.filterableAttributes.sort();
        s.sortableAttributes.sort();
        s.typoTolerance.disableOnAttributes.sort();
        return send(200, s);
      }
      case 'PATCH settings':
        return accepted(this.enqueue(uid, 'settingsUpdate', () => {
          const i = this.indexes.get(uid) ?? this.createIndex(uid, null);
          const defaults = defaultSettings();
          for (const [k, v] of Object.entries(body as Settings)) {
            if (v === null) i.settings[k] = defaults[k];
            else if (NESTED.has(k)) i.settings[k] = { ...i.settings[k], ...v, ...(k === 'typoTolerance' && v.minWordSizeForTypos ? { minWordSizeForTypos: { ...i.settings[k].minWordSizeForTypos, ...v.minWordSizeForTypos } } : {}) };
            else i.settings[k] = structuredClone(v);
          }
          return null;
        }));
      case 'POST documents':
        return accepted(this.enqueue(uid, 'documentAdditionOrUpdate', () => {
          // Meilisearch creates a missing index here, with default settings.
          const i = this.indexes.get(uid) ?? this.createIndex(uid, url.searchParams.get('primaryKey'));
          for (const d of body as Doc[]) i.docs.set(d.id, d);
          return null;
        }));
      case 'POST documents/delete-batch':
        return accepted(this.enqueue(uid, 'documentDeletion', () => {
          const i = this.indexes.get(uid);
          if (!i) return notFound(uid);
          for (const id of body as string[]) i.docs.delete(id);
          return null;
        }));
      case 'POST search': {
        if (this.searchDelayMs) await new Promise((resolve) => setTimeout(resolve, this.searchDelayMs));
        if (!index) return send(404, notFound(uid));
        try {
          return send(200, search([...index.docs.values()], index.settings, body as Record<string, unknown>));
        } catch (e) {
          if (e instanceof SearchError) return send(400, err(e.code, e.message));
          throw e;
        }
      }
    }
    send(404, err('not_found', `fake: no route ${req.method} ${url.pathname}`));
  }
}
