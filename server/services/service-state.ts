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
  /** upstream → its forks; built once from the index's per-design meta files, kept current by noteFork. */
  forksByUpstream?: Promise<Map<string, Set<string>>>;
}

export const newServiceState = (): ServiceState => ({ certificationQueue: Promise.resolve() });
