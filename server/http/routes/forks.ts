import { Router, type Request } from 'express';
import { OhwError } from '../../../schema/errors.ts';
import type { Deps } from '../../services/deps.ts';
import { forkDesign, type ForkRequest } from '../../services/fork-design.ts';
import { readForks } from '../../services/upstream-changes.ts';
import { requireActor } from '../auth.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

export function forkRoutes(deps: Deps): Router {
  const r = Router();

  /** `{owner?, name?, version?}` → 201 with the new package (as GET /designs/:owner/:name). */
  r.post('/designs/:owner/:name/fork', async (req, res) => {
    const actor = requireActor(req);
    const body: Record<string, unknown> = req.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw new OhwError('INVALID_REQUEST', 'the body must be a JSON object {owner?, name?, version?}');
    const input: ForkRequest = { from: pkgOf(req), actor };
    for (const key of ['owner', 'name', 'version'] as const) {
      const v = body[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string' || v === '') throw new OhwError('INVALID_REQUEST', `"${key}" must be a non-empty string`);
      input[key] = v;
    }
    const view = await forkDesign(deps, input);
    res.status(201).location(`/api/v1/designs/${view.package}`).json(view);
  });

  /** Forks of this design; for a fork also `upstream: {package, forkPoint, newVersions, diff}`. */
  r.get('/designs/:owner/:name/forks', async (req, res) => {
    res.json(await readForks(deps, pkgOf(req)));
  });

  return r;
}
