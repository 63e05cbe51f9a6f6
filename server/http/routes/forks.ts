import { Router, type Request } from 'express';
import type { Deps } from '../../services/deps.ts';
import { forkDesign, type ForkRequest } from '../../services/fork-design.ts';
import { readForks } from '../../services/upstream-changes.ts';
import { requireActor } from '../auth.ts';
import { body } from '../body-schemas.ts';
import { withinAllowance } from '../rate-limit.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

export function forkRoutes(deps: Deps): Router {
  const r = Router();

  /** `{owner?, name?, version?}` → 201 with the new package (as GET /designs/:owner/:name). */
  r.post('/designs/:owner/:name/fork', body('fork'), async (req, res) => {
    const actor = requireActor(req);
    const given = req.body as { owner?: string; name?: string; version?: string };
    const input: ForkRequest = { from: pkgOf(req), actor };
    for (const key of ['owner', 'name', 'version'] as const) if (given[key] !== undefined) input[key] = given[key];
    // A fork is a new design: it counts against the same allowance as publishing one.
    const view = await withinAllowance(deps, 'newDesigns', actor.name, () => forkDesign(deps, input));
    res.status(201).location(`/api/v1/designs/${view.package}`).json(view);
  });

  /** Forks of this design; for a fork also `upstream: {package, forkPoint, newVersions, diff}`. */
  r.get('/designs/:owner/:name/forks', async (req, res) => {
    res.json(await readForks(deps, pkgOf(req)));
  });

  return r;
}
