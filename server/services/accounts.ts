import { OhwError } from '../../schema/errors.ts';
import type { Role, Scope } from '../store/ports.ts';
import type { Actor, Deps } from './deps.ts';

const SCOPES: readonly Scope[] = ['publish', 'review', 'admin'];
const ROLES: readonly Role[] = ['reviewer', 'admin'];

function asStringField(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new OhwError('INVALID_REQUEST', `"${field}" is required and must be a string`);
  return v;
}

/** Register an account; the answer carries a first token with the publish scope. */
export async function register(deps: Deps, body: Record<string, unknown>) {
  const account = await deps.accounts.create({
    name: asStringField(body, 'name'),
    email: asStringField(body, 'email'),
    password: asStringField(body, 'password'),
  });
  const { token, info } = await deps.accounts.issueToken(account.name, { name: 'default', scopes: ['publish'] });
  deps.log(`account registered: ${account.name}`);
  return { account: account.name, token, tokenId: info.id, scopes: info.scopes };
}

/** Log in: exchange name + password for a new token with the requested scopes. */
export async function createToken(deps: Deps, body: Record<string, unknown>) {
  const name = asStringField(body, 'name').toLowerCase();
  const password = asStringField(body, 'password');
  const scopes = body.scopes === undefined ? ['publish'] : body.scopes;
  if (!Array.isArray(scopes) || !scopes.length || scopes.some((s) => !SCOPES.includes(s as Scope))) {
    throw new OhwError('INVALID_REQUEST', `"scopes" must be a non-empty list of: ${SCOPES.join(', ')}`);
  }
  const account = await deps.accounts.verifyPassword(name, password);
  if (!account) throw new OhwError('UNAUTHENTICATED', 'wrong account name or password');
  const tokenName = typeof body.tokenName === 'string' && body.tokenName ? body.tokenName : 'cli';
  const { token, info } = await deps.accounts.issueToken(account.name, { name: tokenName, scopes: scopes as Scope[] });
  return { account: account.name, token, tokenId: info.id, scopes: info.scopes };
}

export async function revokeToken(deps: Deps, actor: Actor, id: string) {
  await deps.accounts.revokeToken(actor.name, id);
  return { revoked: id };
}

export async function setRoles(deps: Deps, actor: Actor, name: string, body: Record<string, unknown>) {
  if (!actor.roles.includes('admin') || !actor.scopes.includes('admin')) {
    throw new OhwError('FORBIDDEN', 'granting roles needs an admin token (scope "admin")');
  }
  const roles = body.roles;
  if (!Array.isArray(roles) || roles.some((r) => !ROLES.includes(r as Role))) {
    throw new OhwError('INVALID_REQUEST', `"roles" must be a list of: ${ROLES.join(', ')}`);
  }
  const account = await deps.accounts.setRoles(name.toLowerCase(), [...new Set(roles as Role[])]);
  deps.log(`roles of ${account.name} set to [${account.roles.join(', ')}] by ${actor.name}`);
  return { account: account.name, roles: account.roles };
}
