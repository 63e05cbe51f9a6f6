/**
 * A tiny stand-in for a Meilisearch server at the HTTP boundary, for testing the adapter's outage
 * handling without a real server. It implements only what MeiliSearchIndex calls, with naive
 * search (no text matching, no filters: every document is a hit). `mode` switches between a
 * healthy server, one that answers 500 to everything, and one whose tasks fail or never finish.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Doc = Record<string, unknown> & { id: string };
export type FakeMode = 'up' | 'error500' | 'failTasks' | 'stuckTasks';

interface FakeTask {
  uid: number;
  indexUid: string | null;
  type: string;
  status: 'succeeded' | 'failed' | 'processing';
  error: { code: string; message: string; type: string; link: string } | null;
}

export class FakeMeili {
  mode: FakeMode = 'up';
  readonly indexes = new Map<string, { docs: Map<string, Doc>; settings: Record<string, unknown> }>();
  /** `METHOD path` of every request received (also while erroring). */
  readonly log: string[] = [];
  private tasks = new Map<number, FakeTask>();
  private nextTask = 0;
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  docs(index = 'designs'): Doc[] {
    return [...(this.indexes.get(index)?.docs.values() ?? [])];
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
    if (this.mode === 'error500') return send(500, { message: 'internal error', code: 'internal', type: 'internal', link: '' });

    const parts = url.pathname.split('/').filter(Boolean);
    const enqueue = (indexUid: string | null, type: string, apply: () => FakeTask['error']) => {
      const uid = this.nextTask++;
      let status: FakeTask['status'] = 'succeeded';
      let error: FakeTask['error'] = null;
      if (this.mode === 'stuckTasks') status = 'processing';
      else if (this.mode === 'failTasks' && type === 'documentAdditionOrUpdate') {
        status = 'failed';
        error = { code: 'invalid_document_id', message: 'bad id', type: 'invalid_request', link: '' };
      } else {
        error = apply();
        if (error) status = 'failed';
      }
      this.tasks.set(uid, { uid, indexUid, type, status, error });
      send(202, { taskUid: uid, indexUid, status: 'enqueued', type, enqueuedAt: new Date().toISOString() });
    };
    const index = (uid: string) => {
      let i = this.indexes.get(uid);
      if (!i) this.indexes.set(uid, (i = { docs: new Map(), settings: {} }));
      return i;
    };
    const notFound = (uid: string) => ({ code: 'index_not_found', message: `Index \`${uid}\` not found.`, type: 'invalid_request', link: '' });

    if (req.method === 'GET' && parts[0] === 'health') return send(200, { status: 'available' });
    if (req.method === 'GET' && parts[0] === 'tasks' && parts[1]) {
      const t = this.tasks.get(Number(parts[1]));
      if (!t) return send(404, { message: 'task not found', code: 'task_not_found', type: 'invalid_request', link: '' });
      return send(200, { ...t, batchUid: 0, canceledBy: null, duration: null, enqueuedAt: '', startedAt: null, finishedAt: null });
    }
    if (req.method === 'POST' && parts.length === 1 && parts[0] === 'indexes') {
      const uid = (body as { uid: string }).uid;
      return enqueue(uid, 'indexCreation', () => {
        if (this.indexes.has(uid)) return { code: 'index_already_exists', message: 'exists', type: 'invalid_request', link: '' };
        index(uid);
        return null;
      });
    }
    if (req.method === 'POST' && parts[0] === 'swap-indexes') {
      const [a, b] = (body as Array<{ indexes: [string, string] }>)[0]!.indexes;
      return enqueue(null, 'indexSwap', () => {
        const ia = this.indexes.get(a);
        const ib = this.indexes.get(b);
        if (!ia || !ib) return notFound(ia ? b : a);
        this.indexes.set(a, ib);
        this.indexes.set(b, ia);
        return null;
      });
    }
    if (parts[0] === 'indexes' && parts[1]) {
      const uid = parts[1];
      const rest = parts.slice(2).join('/');
      if (req.method === 'DELETE' && rest === '') {
        return enqueue(uid, 'indexDeletion', () => (this.indexes.delete(uid) ? null : notFound(uid)));
      }
      if (req.method === 'PATCH' && rest === 'settings') {
        return enqueue(uid, 'settingsUpdate', () => {
          index(uid).settings = body as Record<string, unknown>;
          return null;
        });
      }
      if (req.method === 'POST' && rest === 'documents') {
        return enqueue(uid, 'documentAdditionOrUpdate', () => {
          for (const d of body as Doc[]) index(uid).docs.set(d.id, d);
          return null;
        });
      }
      if (req.method === 'POST' && rest === 'documents/delete-batch') {
        return enqueue(uid, 'documentDeletion', () => {
          for (const id of body as string[]) this.indexes.get(uid)?.docs.delete(id);
          return null;
        });
      }
      if (req.method === 'POST' && rest === 'search') {
        const i = this.indexes.get(uid);
        if (!i) return send(404, notFound(uid));
        const hits = [...i.docs.values()];
        const b = body as { hitsPerPage?: number; page?: number; limit?: number };
        return send(200, {
          hits: hits.slice(0, b.hitsPerPage ?? b.limit ?? 20),
          query: '',
          processingTimeMs: 0,
          totalHits: hits.length,
          hitsPerPage: b.hitsPerPage ?? 20,
          page: b.page ?? 1,
          totalPages: 1,
          facetDistribution: {},
        });
      }
    }
    send(404, { message: `fake: no route ${req.method} ${url.pathname}`, code: 'not_found', type: 'invalid_request', link: '' });
  }
}
