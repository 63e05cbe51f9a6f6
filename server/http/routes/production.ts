/**
 * The local production network's routes (SPEC §9): facility profiles, matching, pledges and
 * demand, runs, offers. Thin: parse the request, call a service, send the result.
 */
import { Router, type Request } from 'express';
import { OhwError } from '../../../schema/errors.ts';
import type { Deps } from '../../services/deps.ts';
import { deleteProfile, designProducers, findProducers, profilesOf, putProfile, readProfile } from '../../services/production/producers.ts';
import { createPledge, demandOf, myPledges, updatePledge, withdrawPledge } from '../../services/production/pledges.ts';
import { advanceRun, commitToRun, openRun, PRODUCER_ACTIONS, readRun, type ProducerAction } from '../../services/production/runs.ts';
import { deleteOffer, offersOfDesign, putOffer } from '../../services/production/offers.ts';
import { requireActor } from '../auth.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

/** A body must be a JSON object (or absent where the route takes none). */
function jsonBody(req: Request): unknown {
  if (req.body !== undefined && !req.is('application/json')) throw new OhwError('INVALID_REQUEST', 'send the body as JSON (Content-Type: application/json)');
  return req.body ?? {};
}

export function productionRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/producers', async (req, res) => {
    if (typeof req.query.account === 'string') return void res.json({ producers: await profilesOf(deps, req.actor, req.query.account) });
    res.json(await findProducers(deps, req.query));
  });
  r.put('/producers/:account/:facility', async (req, res) => {
    const out = await putProfile(deps, requireActor(req), req.params.account!, req.params.facility!, jsonBody(req));
    res.status(out.created ? 201 : 200).json(out.profile);
  });
  r.get('/producers/:account/:facility', async (req, res) => {
    res.set('Cache-Control', 'private, no-cache').json(await readProfile(deps, req.actor, req.params.account!, req.params.facility!));
  });
  r.delete('/producers/:account/:facility', async (req, res) => {
    res.json(await deleteProfile(deps, requireActor(req), req.params.account!, req.params.facility!));
  });
  r.put('/producers/:account/:facility/offers/:owner/:name', async (req, res) => {
    res.json(await putOffer(deps, requireActor(req), req.params.account!, req.params.facility!, pkgOf(req), jsonBody(req)));
  });
  r.delete('/producers/:account/:facility/offers/:owner/:name', async (req, res) => {
    res.json(await deleteOffer(deps, requireActor(req), req.params.account!, req.params.facility!, pkgOf(req), req.query.level));
  });

  r.get('/designs/:owner/:name/producers', async (req, res) => {
    res.json(await designProducers(deps, pkgOf(req), req.query));
  });
  r.get('/designs/:owner/:name/offers', async (req, res) => {
    res.json(await offersOfDesign(deps, pkgOf(req)));
  });
  r.post('/designs/:owner/:name/pledges', async (req, res) => {
    const p = await createPledge(deps, requireActor(req), pkgOf(req), jsonBody(req));
    res.status(201).location(`/api/v1/pledges/${p.id}`).json(p);
  });
  r.get('/designs/:owner/:name/demand', async (req, res) => {
    res.json(await demandOf(deps, pkgOf(req)));
  });
  r.get('/pledges', async (req, res) => {
    res.set('Cache-Control', 'private, no-cache').json(await myPledges(deps, requireActor(req)));
  });
  r.put('/pledges/:id', async (req, res) => {
    res.json(await updatePledge(deps, requireActor(req), req.params.id!, jsonBody(req)));
  });
  r.delete('/pledges/:id', async (req, res) => {
    res.json(await withdrawPledge(deps, requireActor(req), req.params.id!));
  });

  r.post('/runs', async (req, res) => {
    const run = await openRun(deps, requireActor(req), jsonBody(req));
    res.status(201).location(`/api/v1/runs/${run.id}`).json(run);
  });
  r.get('/runs/:id', async (req, res) => {
    res.set('Cache-Control', 'private, no-cache').json(await readRun(deps, req.actor, req.params.id!));
  });
  r.post('/runs/:id/commit', async (req, res) => {
    const body = jsonBody(req);
    if (body && typeof body === 'object' && Object.keys(body).length) {
      throw new OhwError('INVALID_REQUEST', `commit takes an empty body (unknown properties: ${Object.keys(body).join(', ')})`);
    }
    res.json(await commitToRun(deps, requireActor(req), req.params.id!));
  });
  r.post('/runs/:id/:action', async (req, res) => {
    const action = req.params.action as ProducerAction;
    if (!PRODUCER_ACTIONS.includes(action)) throw new OhwError('NOT_FOUND', `no run action "${req.params.action}" (actions: commit, ${PRODUCER_ACTIONS.join(', ')})`);
    res.json(await advanceRun(deps, requireActor(req), req.params.id!, action));
  });
  return r;
}
