import { Router } from 'express';
import type { Deps } from '../../services/deps.ts';
import { createToken, register, revokeToken, setRoles } from '../../services/accounts.ts';
import { requireActor } from '../auth.ts';
import { rateLimit } from '../rate-limit.ts';

export function accountRoutes(deps: Deps, opts: { authAttemptsPerMinute: number }): Router {
  const r = Router();
  const limited = rateLimit({ windowMs: 60_000, max: opts.authAttemptsPerMinute });
  r.post('/accounts', limited, async (req, res) => {
    res.status(201).json(await register(deps, req.body ?? {}));
  });
  r.post('/tokens', limited, async (req, res) => {
    res.status(201).json(await createToken(deps, req.body ?? {}));
  });
  r.get('/tokens', async (req, res) => {
    res.json({ tokens: await deps.accounts.listTokens(requireActor(req).name) });
  });
  r.delete('/tokens/:id', async (req, res) => {
    res.json(await revokeToken(deps, requireActor(req), req.params.id!));
  });
  r.put('/accounts/:name/roles', async (req, res) => {
    res.json(await setRoles(deps, requireActor(req), req.params.name!, req.body ?? {}));
  });
  r.get('/me', async (req, res) => {
    const actor = requireActor(req);
    res.json({ account: actor.name, email: actor.email, roles: actor.roles, scopes: actor.scopes });
  });
  return r;
}
