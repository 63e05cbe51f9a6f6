import { Router } from 'express';
import { OhwError } from '../../../schema/errors.ts';
import type { Deps } from '../../services/deps.ts';
import { changeCertification, readCertificate, readCertification, requestCertification, reviewCertification } from '../../services/certification.ts';
import { badgeSvg } from '../../domain/badge.ts';
import { requireActor } from '../auth.ts';
import { requireMarkHolder } from '../../services/production/builds.ts';
import { body, validateBody } from '../body-schemas.ts';

const ACTIONS = ['withdraw', 'suspend', 'revoke', 'renew', 'reinstate', 'resubmit'] as const;

export function certificationRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/certifications', body('certificationRequest'), async (req, res) => {
    const result = await requestCertification(deps, requireActor(req), req.body);
    res.status(201).location(`/api/v1/certifications/${result.id}`).json(result);
  });
  r.get('/certifications/:id', async (req, res) => {
    res.json(await readCertification(deps, req.params.id!));
  });
  r.post('/certifications/:id/reviews', body('review'), async (req, res) => {
    res.status(201).json(await reviewCertification(deps, requireActor(req), String(req.params.id), req.body));
  });
  r.post('/certifications/:id/:action', async (req, res) => {
    const action = req.params.action as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) throw new OhwError('NOT_FOUND', `no certification action "${req.params.action}" (actions: ${ACTIONS.join(', ')})`);
    const actor = requireActor(req);
    validateBody('lifecycle', req.body ?? {});
    res.json(await changeCertification(deps, actor, req.params.id!, action, req.body ?? {}));
  });
  r.get('/certificates/:uid/badge.svg', async (req, res) => {
    const c = await readCertificate(deps, req.params.uid!);
    // The mark belongs to its contributors: a producer's badge answers only for a mark holder.
    if (req.query.producer !== undefined) await requireMarkHolder(deps, c.markHolders, req.query.producer);
    // A badge must reflect revocation quickly: short cache, revalidated by ETag.
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=300').send(badgeSvg(c));
  });
  r.get('/certificates/:uid', async (req, res) => {
    res.json(await readCertificate(deps, req.params.uid!));
  });
  return r;
}
