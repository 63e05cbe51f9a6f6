import { Router } from 'express';
import type { Deps } from '../../services/deps.ts';
import { createToken, register, revokeToken, setRoles } from '../../services/accounts.ts';
import { requireActor } from '../auth.ts';
import { body } from '../body-schemas.ts';
import { attemptsByAddress, clientAddress } from '../rate-limit.ts';

export function accountRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/accounts', attemptsByAddress(deps), body('register'), async (req, res) => {
    res.status(201).json(await register(deps, req.body));
  });
  // Throttled inside signIn (per address and per account), the same check the web sign-in uses.
  r.post('/tokens', body('login'), async (req, res) => {
    res.status(201).json(await createToken(deps, req.body, clientAddress(req)));
  });
  r.get('/tokens', async (req, res) => {
    res.json({ tokens: await deps.accounts.listTokens(requireActor(req).name) });
  });
  r.delete('/tokens/:id', async (req, res) => {
    res.json(await revokeToken(deps, requireActor(req), req.params.id!));
  });
  r.put('/accounts/:name/roles', body('roles'), async (req, res) => {
    res.json(await setRoles(deps, requireActor(req), String(req.params.name), req.body));
  });
  r.get('/me', async (req, res) => {
    const actor = requireActor(req);
    res.json({ account: actor.name, email: actor.email, roles: actor.roles, scopes: actor.scopes });
  });
  return r;
}
