/**
 * Meilisearch tasks, followed by uid. Every write to Meilisearch is a task that the server queues
 * and processes later; how long that takes says nothing about the server being up. So a task is
 * followed until it succeeds or fails, however long that is (polling backs off to 1 s), and never
 * enqueued a second time because it was slow. A poll that cannot reach the server throws; the
 * caller keeps the uid and resumes following it once the server is back.
 */
import type { EnqueuedTaskPromise, Meilisearch, Task } from 'meilisearch';
import { TaskFailedError } from './meili-errors.ts';

export class ClosedError extends Error {
  constructor() {
    super('search index closed');
    this.name = 'ClosedError';
  }
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
  });

export class TaskFollower {
  constructor(
    private readonly client: Meilisearch,
    private readonly pollIntervalMs: number,
    private readonly isClosed: () => boolean,
  ) {}

  /** Enqueue only; the uid to follow. */
  async enqueue(enqueued: EnqueuedTaskPromise): Promise<number> {
    return (await enqueued).taskUid;
  }

  /** Follow task `uid` until it is done. Resolves on success (or a failure whose code is in okCodes). */
  async follow(uid: number, what: string, okCodes: readonly string[] = []): Promise<Task> {
    let interval = this.pollIntervalMs;
    for (;;) {
      if (this.isClosed()) throw new ClosedError();
      const task = await this.client.tasks.getTask(uid);
      if (task.status === 'succeeded') return task;
      if (task.status === 'failed' || task.status === 'canceled') {
        if (task.error && okCodes.includes(task.error.code)) return task;
        throw new TaskFailedError(what, task);
      }
      await sleep(interval);
      interval = Math.min(interval * 2, Math.max(this.pollIntervalMs, 1000));
    }
  }

  async run(enqueued: EnqueuedTaskPromise, what: string, okCodes: readonly string[] = []): Promise<Task> {
    return this.follow(await this.enqueue(enqueued), what, okCodes);
  }
}
