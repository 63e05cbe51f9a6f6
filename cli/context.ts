import type { Command } from 'commander';
import { RegistryClient } from './client.ts';
import { resolveRegistry, resolveToken } from './config.ts';

/** Global options shared by every command. */
export interface GlobalOptions { registry?: string }

export function clientFor(cmd: Command): RegistryClient {
  const { registry: flag } = cmd.optsWithGlobals() as GlobalOptions;
  const registry = resolveRegistry(flag);
  const token = resolveToken(registry);
  return new RegistryClient(token ? { registry, token } : { registry });
}
