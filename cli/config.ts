import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `~/.config/ohw/config.json` (mode 0600): registry URL and its token. */
export interface CliConfig {
  registry?: string;
  /** Tokens per registry URL, so one config serves several registries. */
  tokens?: Record<string, { token: string; account: string }>;
}

export const DEFAULT_REGISTRY = 'http://127.0.0.1:8787';

export function configPath(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'ohw', 'config.json');
}

export function readConfig(): CliConfig {
  try {
    return JSON.parse(fs.readFileSync(configPath(), 'utf8')) as CliConfig;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${configPath()}: ${(e as Error).message}`);
  }
}

/** Atomic write with owner-only permissions: the file holds a secret. */
export function writeConfig(config: CliConfig): string {
  const file = configPath();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return file;
}

export function resolveRegistry(flag?: string): string {
  const url = flag || process.env.OHW_REGISTRY || readConfig().registry || DEFAULT_REGISTRY;
  return url.replace(/\/+$/, '');
}

export function resolveToken(registry: string): string | undefined {
  return process.env.OHW_TOKEN || readConfig().tokens?.[registry]?.token;
}

export function saveToken(registry: string, token: string, account: string): string {
  const config = readConfig();
  config.tokens = { ...config.tokens, [registry]: { token, account } };
  return writeConfig(config);
}
