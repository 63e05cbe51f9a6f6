/**
 * Build reports (public, append-only, in index.git) and their photos (on disk, png/jpeg/webp
 * only, by content; MAX_PHOTO_BYTES each).
 */
import { Router, type Request } from 'express';
import { OhwError } from '../../../schema/errors.ts';
import type { Deps } from '../../services/deps.ts';
import { endorseBuild, listBuilds, reportBuild } from '../../services/production/builds.ts';
import { MAX_PHOTO_BYTES, storePhoto } from '../../services/production/photos.ts';
import { requireActor } from '../auth.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

/** The raw body, refused with 413 once it passes `max` (before reading when Content-Length says so). */
async function rawBody(req: Request, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > max) {
    req.res?.set('Connection', 'close');
    throw new OhwError('TOO_LARGE', `a photo is at most ${max} bytes (declared ${declared})`, { details: { limit: max } });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > max) {
      req.res?.set('Connection', 'close');
      throw new OhwError('TOO_LARGE', `a photo is at most ${max} bytes`, { details: { limit: max } });
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export function buildRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/designs/:owner/:name/versions/:version/builds', async (req, res) => {
    if (!req.is('application/json')) throw new OhwError('INVALID_REQUEST', 'send the build report as JSON (Content-Type: application/json); upload photos first with POST /api/v1/photos');
    const out = await reportBuild(deps, requireActor(req), pkgOf(req), req.params.version!, req.body);
    res.status(201).json(out);
  });
  r.get('/designs/:owner/:name/versions/:version/builds', async (req, res) => {
    res.set('Cache-Control', 'no-cache').json(await listBuilds(deps, pkgOf(req), req.params.version!));
  });
  r.post('/designs/:owner/:name/versions/:version/builds/:id/endorse', async (req, res) => {
    res.json(await endorseBuild(deps, requireActor(req), pkgOf(req), req.params.version!, req.params.id!));
  });
  r.post('/photos', async (req, res) => {
    requireActor(req);
    const bytes = await rawBody(req, MAX_PHOTO_BYTES);
    const out = await storePhoto(deps, bytes);
    res.status(201).location(out.url).json(out);
  });
  r.get('/photos/:sha256', async (req, res) => {
    const p = await deps.photos.get(req.params.sha256!);
    if (!p) throw new OhwError('NOT_FOUND', `photo ${req.params.sha256} not found`);
    res.set({ 'Content-Type': p.type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=31536000, immutable', 'Content-Security-Policy': "default-src 'none'" }).send(p.bytes);
  });
  return r;
}
