import { LRUCache } from 'lru-cache';

/**
 * What services keep between requests for one registry: write queues and derived lookup maps.
 * It lives in `deps` (built with the adapters), never in module variables, so two registries in
 * one process (tests, benchmarks) never share it and dropping the deps drops it.
 */
export interface ServiceState {
  /**
   * Certification writes run one at a time: decisions, UID allocation and the commit that records
   * them, so UIDs are sequential without gaps and two approvals arriving together yield exactly
   * one certificate.
   */
  certificationQueue: Promise<unknown>;
  /** design → its certification ids; built from the index on first use, dropped after each certification write. */
  certificationsByDesign?: Promise<Map<string, string[]>>;
  /**
   * Rendered version reads (`pkg@version` → body), each with the package read it was made from:
   * a version read embeds the yank state, so an entry is used only while that text is unchanged.
   */
  versionReads: LRUCache<string, { packageText: string; body: string }>;
}

/** Version reads kept rendered; each is a few kilobytes. */
const VERSION_READS = 2_000;

export const newServiceState = (): ServiceState => ({
  certificationQueue: Promise.resolve(),
  versionReads: new LRUCache({ max: VERSION_READS }),
});
