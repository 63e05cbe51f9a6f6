import { Router, type Request } from 'express';
import { OhwError } from '../../../schema/errors.ts';
import { exportManifest } from '../../../schema/interop/index.ts';
import type { Deps } from '../../services/deps.ts';
import { setDelisted } from '../../services/delist-design.ts';
import { requireDesign, requireVersion } from '../../services/read-design.ts';
import { requireActor } from '../auth.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

/** SPEC §8: the OKH-LOSH form of a version (for OKH crawlers), and delisting of imported designs. */
export function interopRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/designs/:owner/:name/versions/:version/okh.toml', async (req, res) => {
    const pkg = await requireDesign(deps, pkgOf(req));
    const record = await requireVersion(deps, pkg, req.params.version!);
    const manifest = await deps.manifests.get(pkg, record.version);
    // OKH-LOSH requires a repository: the design's page here when the manifest names none.
    const designUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}/designs/${pkg}`;
    const out = exportManifest(manifest, 'okh-losh', { designUrl });
    // An import whose source lacked a field OKH-LOSH requires has no valid okh.toml: say so.
    if (out.missing.length) throw new OhwError('NOT_FOUND', `${pkg}@${record.version} has no OKH-LOSH form: it lacks ${out.missing.join(', ')} (not provided by its source)`);
    res.type('application/toml; charset=utf-8').set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' }).send(out.text);
  });

  r.post('/designs/:owner/:name/delist', async (req, res) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    if (reason !== undefined && typeof reason !== 'string') throw new OhwError('INVALID_REQUEST', '"reason" must be a string');
    res.json(await setDelisted(deps, { pkg: pkgOf(req), actor: requireActor(req), delisted: true, ...(reason ? { reason } : {}) }));
  });

  r.delete('/designs/:owner/:name/delist', async (req, res) => {
    res.json(await setDelisted(deps, { pkg: pkgOf(req), actor: requireActor(req), delisted: false }));
  });

  return r;
}
