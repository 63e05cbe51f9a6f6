/**
 * A FIFO queue per key (here: per repository path). Tasks with the same key run one at a time,
 * in submission order; different keys run concurrently. A failing task does not block the next.
 * This only serializes writers inside ONE process — across processes the stores rely on
 * compare-and-swap ref updates (and the deployment rule: one writer process per data dir).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every task queued so far (under any key) has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
