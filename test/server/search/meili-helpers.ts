/** Shared set-up for the Meilisearch adapter tests against the fake server. */
import { expect } from 'vitest';
import { OhwError } from '../../../schema/errors.ts';
import { defaultSearchQuery } from '../../../server/domain/search-query.ts';
import { MeiliSearchIndex, type MeiliOptions } from '../../../server/search/meili.ts';
import type { FakeMeili } from './fake-meili.ts';

/** An adapter on the fake with quick polling and no retry timer unless asked for. */
export function makeIndex(fake: FakeMeili, opts: Partial<MeiliOptions> = {}): MeiliSearchIndex {
  return new MeiliSearchIndex({ host: fake.url, retryIntervalMs: 0, taskTimeoutMs: 2_000, requestTimeoutMs: 1_000, pollIntervalMs: 2, ...opts });
}

/** The OhwError a search fails with (the test fails if it succeeds). */
export async function searchError(i: MeiliSearchIndex): Promise<OhwError> {
  try {
    await i.search(defaultSearchQuery());
  } catch (e) {
    expect(e).toBeInstanceOf(OhwError);
    return e as OhwError;
  }
  throw new Error('search did not fail');
}

export const ids = (docs: Array<{ id: string }>): string[] => docs.map((d) => d.id).sort();
