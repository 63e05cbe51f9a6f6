/** Rate-limit counters, written by rate-limiter-flexible's SQLite store (server/store/sql/throttles.ts). */
export interface ThrottleTables {
  throttles: { key: string; points: number; expire: number | null };
}
