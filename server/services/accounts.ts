import { OhwError } from '../../schema/errors.ts';
import type { Account, Role, Scope } from '../store/ports.ts';
import { enforce, mayAdminister } from '../domain/policy.ts';
import type { Actor, Deps } from './deps.ts';

/** Register an account; the answer carries a first token with the publish scope. */
export async function register(deps: Deps, body: { name: string; email: string; password: string }) {
  // One transaction: a failed write never leaves an account without its first token.
  const { account, token, info } = await deps.accounts.register({ name: body.name, email: body.email, password: body.password }, { name: 'default', scopes: ['publish'] });
  deps.log(`account registered: ${account.name}`);
  return { account: account.name, token, tokenId: info.id, scopes: info.scopes };
}

/**
 * Check a name and password, throttled per client address and per account: the one sign-in
 * check, shared by `POST /tokens` and the web site's sign-in form. Wrong passwords count against
 * the account whatever address they come from, so spreading a guessing run over several
 * addresses still locks the account for a while (RATE_LIMITED, with retryAfter).
 */
export async function signIn(deps: Deps, input: { name: string; password: string; address: string }): Promise<Account> {
  const name = input.name.toLowerCase();
  await deps.throttles.attemptFrom(input.address);
  await deps.throttles.assertLoginOpen(name);
  const account = await deps.accounts.verifyPassword(name, input.password);
  if (!account) {
    await deps.throttles.loginFailed(name);
    throw new OhwError('UNAUTHENTICATED', 'wrong account name or password');
  }
  return account;
}

/** Log in: exchange name + password for a new token with the requested scopes. */
export async function createToken(deps: Deps, body: { name: string; password: string; scopes?: Scope[]; tokenName?: string }, address: string) {
  const account = await signIn(deps, { name: body.name, password: body.password, address });
  const scopes = body.scopes ?? ['publish'];
  const { token, info } = await deps.accounts.issueToken(account.name, { name: body.tokenName ?? 'cli', scopes: [...new Set(scopes)] });
  return { account: account.name, token, tokenId: info.id, scopes: info.scopes };
}

export async function revokeToken(deps: Deps, actor: Actor, id: string) {
  await deps.accounts.revokeToken(actor.name, id);
  return { revoked: id };
}

export async function setRoles(deps: Deps, actor: Actor, name: string, body: { roles: Role[] }) {
  enforce(mayAdminister(actor, 'granting roles'));
  const account = await deps.accounts.setRoles(name.toLowerCase(), [...new Set(body.roles)]);
  deps.log(`roles of ${account.name} set to [${account.roles.join(', ')}] by ${actor.name}`);
  return { account: account.name, roles: account.roles };
}
