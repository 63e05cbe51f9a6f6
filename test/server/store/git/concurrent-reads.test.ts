/**
 * Publishes and reads running at once in one process: the background repack deletes the packs it
 * merged, and a read listing the packs must never meet one that vanished (it waits for the repack;
 * the repack waits for the reads in flight). Before the gate, about every second run of this failed
 * with isomorphic-git reading a deleted pack index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../../../schema/archive.ts';
import { publishVersion } from '../../../../server/services/publish-version.ts';
import { designFiles, makeRegistry, type TestRegistry } from '../../../helpers/registry.ts';

let reg: TestRegistry;
beforeAll(async () => {
  reg = await makeRegistry();
  await reg.account('maker');
});
afterAll(() => reg.cleanup());

describe('concurrent publishes and reads', () => {
  it('all succeed while the index repository is repacked behind them', { timeout: 180_000 }, async () => {
    const N = 100;
    let next = 0;
    const failures: unknown[] = [];
    const actor = { name: 'maker', email: 'maker@example.org', roles: [], scopes: ['publish'] };
    const worker = async () => {
      while (next < N) {
        const i = next++;
        try {
          await publishVersion(reg.deps, { pkg: `maker/thing-${i}`, version: '1.0.0', archive: await writeArchive(designFiles(`maker/thing-${i}`)), actor });
          await reg.deps.index.read(`designs/maker/thing-${Math.max(0, i - 2)}.jsonl`);
          await reg.deps.index.history(`designs/maker/thing-${Math.max(0, i - 1)}.json`);
        } catch (e) {
          failures.push(e);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(failures.map((e) => String(e))).toEqual([]);
    expect((await reg.deps.designs.list()).length).toBe(N);
  });
});
