/**
 * The first admin (SPEC §6), run at every start.
 *
 * With OHW_ADMIN_TOKEN: account `admin` exists with the admin role, and exactly that token
 * authenticates as it with every scope (its hash kept under token id `admin-env`; a changed value
 * replaces the old one, a revoked one is restored). It must be ≥ 16 characters without whitespace.
 *
 * Without it: a live `admin-env` token left from an earlier start is revoked (the environment is
 * its source of truth; removing the variable must disable it). Then, if no live admin token exists
 * at all — first start, or every admin token revoked — account `admin` is ensured, a token is
 * issued and written to `$dataDir/admin-token` (0600), and one line says where. While any admin
 * token works (the file's included, or one copied before the file was deleted), nothing changes.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OhwError } from '../../../schema/errors.ts';
import type { AccountStore } from '../ports.ts';
import { BOOTSTRAP_ADMIN, MAX_TOKEN_LENGTH, SCOPES } from './rules.ts';

/** What the bootstrap needs beyond the AccountStore port: a password-less reserved account, a token under a fixed id. */
export interface AdminBootstrap {
  ensureBootstrapAdmin(): Promise<void>;
  installEnvAdminToken(token: string): Promise<'installed' | 'unchanged'>;
  revokeEnvAdminToken(): Promise<boolean>;
  hasUsableAdminToken(): Promise<boolean>;
}

export interface EnsureAdminOptions {
  dataDir: string;
  /** OHW_ADMIN_TOKEN, when set. */
  adminToken?: string | undefined;
  log: (line: string) => void;
}

export type EnsureAdminResult =
  | { source: 'env'; account: string; changed: boolean }
  | { source: 'file'; account: string; tokenFile: string; changed: boolean }
  | { source: 'existing' };

export const ADMIN_TOKEN_MIN_LENGTH = 16;

const isBootstrap = (a: AccountStore): a is AccountStore & AdminBootstrap =>
  typeof (a as Partial<AdminBootstrap>).installEnvAdminToken === 'function';

export async function ensureAdmin(accounts: AccountStore, opts: EnsureAdminOptions): Promise<EnsureAdminResult> {
  if (!isBootstrap(accounts)) throw new Error('ensureAdmin needs an account store that can bootstrap an admin');
  const store = accounts;
  if (opts.adminToken !== undefined) {
    const t = opts.adminToken;
    if (t.length < ADMIN_TOKEN_MIN_LENGTH || t.length > MAX_TOKEN_LENGTH || /\s|\p{Cc}/u.test(t)) {
      throw new OhwError('INVALID_REQUEST',
        `OHW_ADMIN_TOKEN must be ${ADMIN_TOKEN_MIN_LENGTH}–${MAX_TOKEN_LENGTH} characters without whitespace (e.g. \`openssl rand -base64 32\`)`);
    }
    const result = await store.installEnvAdminToken(t);
    if (result === 'installed') opts.log(`admin token from OHW_ADMIN_TOKEN installed for account "${BOOTSTRAP_ADMIN}"`);
    return { source: 'env', account: BOOTSTRAP_ADMIN, changed: result === 'installed' };
  }

  if (await store.revokeEnvAdminToken()) opts.log('OHW_ADMIN_TOKEN is no longer set: its admin token was revoked');
  const tokenFile = path.join(path.resolve(opts.dataDir), 'admin-token');
  if (await store.hasUsableAdminToken()) {
    return (await fileTokenWorks(store, tokenFile))
      ? { source: 'file', account: BOOTSTRAP_ADMIN, tokenFile, changed: false }
      : { source: 'existing' };
  }
  await store.ensureBootstrapAdmin();
  const { token } = await store.issueToken(BOOTSTRAP_ADMIN, { name: 'generated admin token', scopes: [...SCOPES] });
  await fs.mkdir(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  const tmp = `${tokenFile}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${token}\n`, { mode: 0o600 });
  await fs.rename(tmp, tokenFile);
  opts.log(`admin token written to ${tokenFile}`);
  return { source: 'file', account: BOOTSTRAP_ADMIN, tokenFile, changed: true };
}

async function fileTokenWorks(store: AccountStore, file: string): Promise<boolean> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return false;
  }
  const found = await store.authenticate(text.trim());
  return !!found && found.account.roles.includes('admin') && found.token.scopes.includes('admin');
}
