import path from 'node:path';
import { DEFAULT_LIMITS, type PackageLimits } from '../schema/package-rules.ts';

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
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
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
  };
  if (env.OHW_ADMIN_TOKEN) config.adminToken = env.OHW_ADMIN_TOKEN;
  if (env.MEILI_HOST) {
    config.meili = { host: env.MEILI_HOST };
    if (env.MEILI_MASTER_KEY) config.meili.apiKey = env.MEILI_MASTER_KEY;
  }
  return config;
}
