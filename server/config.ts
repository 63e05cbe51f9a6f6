import path from 'node:path';
import { DEFAULT_LIMITS, type PackageLimits } from '../schema/package-rules.ts';
import { DEFAULT_RATE_LIMITS, type BurstRate, type RateLimits } from './store/throttle-port.ts';

/** Everything the server reads from the environment (SPEC §6), parsed once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminToken?: string;
  meili?: { host: string; apiKey?: string };
  seed: boolean;
  limits: PackageLimits;
  /** Approving reviews needed to certify (SPEC §5). */
  quorum: number;
  /** Rate limits per address and per account (README "Rate limits"). */
  rateLimits: RateLimits;
  /**
   * Express `trust proxy`: off by default, so the client address is the socket's and a forged
   * X-Forwarded-For cannot dodge the per-address limits. Behind a reverse proxy set it to the
   * number of hops (`1`), or to addresses/subnets (`loopback`, `10.0.0.0/8`).
   */
  trustProxy: boolean | number | string;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function burstFromEnv(env: NodeJS.ProcessEnv, prefix: string, fallback: BurstRate): BurstRate {
  return { burst: intFromEnv(env, `${prefix}_BURST`, fallback.burst), everySeconds: intFromEnv(env, `${prefix}_EVERY_SECONDS`, fallback.everySeconds) };
}

/** `OHW_TRUST_PROXY`: unset/false/0 → off; true; a hop count; or addresses for Express. */
function trustProxyFromEnv(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const d = DEFAULT_RATE_LIMITS;
  return {
    authPerAddressPerMinute: intFromEnv(env, 'OHW_RATE_AUTH_PER_MINUTE', d.authPerAddressPerMinute),
    loginFailuresPerAccount: intFromEnv(env, 'OHW_RATE_LOGIN_FAILURES', d.loginFailuresPerAccount),
    loginLockSeconds: intFromEnv(env, 'OHW_RATE_LOGIN_LOCK_SECONDS', d.loginLockSeconds),
    newDesigns: burstFromEnv(env, 'OHW_RATE_NEW_DESIGNS', d.newDesigns),
    versions: burstFromEnv(env, 'OHW_RATE_VERSIONS', d.versions),
    yanks: burstFromEnv(env, 'OHW_RATE_YANKS', d.yanks),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const limits: PackageLimits = {
    maxCompressedBytes: intFromEnv(env, 'OHW_MAX_COMPRESSED_BYTES', DEFAULT_LIMITS.maxCompressedBytes),
    maxUncompressedBytes: intFromEnv(env, 'OHW_MAX_UNCOMPRESSED_BYTES', DEFAULT_LIMITS.maxUncompressedBytes),
    maxFiles: intFromEnv(env, 'OHW_MAX_FILES', DEFAULT_LIMITS.maxFiles),
    maxFileBytes: intFromEnv(env, 'OHW_MAX_FILE_BYTES', DEFAULT_LIMITS.maxFileBytes),
    maxDepth: intFromEnv(env, 'OHW_MAX_PATH_DEPTH', DEFAULT_LIMITS.maxDepth),
  };
  const config: Config = {
    // PORT=0 asks the OS for a free port (tests); the log line says which.
    port: intFromEnv(env, 'PORT', 8787, 0),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.OHW_DATA || './.ohw-data'),
    seed: env.OHW_SEED !== '0',
    limits,
    quorum: intFromEnv(env, 'OHW_REVIEW_QUORUM', 2),
    rateLimits: rateLimitsFromEnv(env),
    trustProxy: trustProxyFromEnv(env.OHW_TRUST_PROXY),
  };
  if (env.OHW_ADMIN_TOKEN) config.adminToken = env.OHW_ADMIN_TOKEN;
  if (env.MEILI_HOST) {
    config.meili = { host: env.MEILI_HOST };
    if (env.MEILI_MASTER_KEY) config.meili.apiKey = env.MEILI_MASTER_KEY;
  }
  return config;
}
