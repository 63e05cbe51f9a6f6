import { Router, type Request } from 'express';
import { OhwError } from '../../../schema/errors.ts';
import { writeArchive } from '../../../schema/archive.ts';
import type { Deps } from '../../services/deps.ts';
import { publishVersion } from '../../services/publish-version.ts';
import { packageJsonText, readVersionFile, versionJsonText, versionSummary } from '../../services/read-design.ts';
import { setYanked } from '../../services/yank-version.ts';
import { changeOwners } from '../../services/owners.ts';
import { requireActor } from '../auth.ts';
import { receiveUpload } from '../upload.ts';
import { body } from '../body-schemas.ts';
import { withinAllowance } from '../rate-limit.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

export function designRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/designs/:owner/:name', async (req, res) => {
    // Stored as JSON text at the last change: sent as it is (Express adds the ETag and answers 304).
    res.type('application/json').set('Cache-Control', 'no-cache').send(await packageJsonText(deps, pkgOf(req)));
  });

  r.put('/designs/:owner/:name/versions/:version', async (req, res) => {
    const actor = requireActor(req);
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/(gzip|x-gzip|x-tar\+gzip|octet-stream)\b/.test(type)) {
      throw new OhwError('INVALID_REQUEST', `send the package as a tar.gz with Content-Type: application/gzip (got "${type || 'none'}")`);
    }
    const archive = await receiveUpload(req, deps.limits.maxCompressedBytes);
    const source = req.headers['x-ohw-source-commit'];
    const input: Parameters<typeof publishVersion>[1] = { pkg: pkgOf(req), version: req.params.version!, archive, actor };
    if (typeof source === 'string' && source) input.sourceCommit = source;
    // A burst, then a steady rate, per account: new designs and new versions counted apart.
    const kind = (await deps.designs.exists(input.pkg)) ? 'versions' : 'newDesigns';
    const result = await withinAllowance(deps, kind, actor.name, () => publishVersion(deps, input));
    res.status(201).location(`/api/v1/designs/${result.package}/versions/${result.version}`).json(result);
  });

  r.get('/designs/:owner/:name/versions/:version', async (req, res) => {
    // Not immutable as a whole: the yank flag can change. Revalidate with the ETag.
    res.type('application/json').set('Cache-Control', 'no-cache').send(await versionJsonText(deps, pkgOf(req), req.params.version!));
  });

  r.get('/designs/:owner/:name/versions/:version/archive', async (req, res, next) => {
    const { pkg, record, files } = await versionSummary(deps, pkgOf(req), req.params.version!);
    if ((await deps.archives.size(pkg, record.version)) === undefined) {
      // Derived bytes lost (a restored data dir without archives): written again from git.
      await deps.archives.write(pkg, record.version, await writeArchive(await deps.designs.readFiles(pkg, record.version)));
    }
    const etag = `"${record.meta.checksum}"`;
    res.set({ 'X-Ohw-Checksum': record.meta.checksum, 'X-Ohw-Files': String(files.length) });
    // sendFile streams from disk and answers Range and conditional requests; the ETag is the
    // checksum, the same for every copy of these bytes.
    res.sendFile(deps.archives.filePath(pkg, record.version), {
      headers: {
        ETag: etag,
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="${pkg.replace('/', '-')}-${record.version}.tar.gz"`,
        'Cache-Control': 'public, max-age=31536000, immutable',
      },
      etag: false,
      lastModified: false,
      dotfiles: 'allow',
    }, (err) => { if (err && !res.headersSent) next(err); });
  });

  r.get('/designs/:owner/:name/versions/:version/files/*path', async (req, res) => {
    const segments = (req.params as unknown as { path: string[] }).path;
    const data = await readVersionFile(deps, pkgOf(req), req.params.version!, segments.join('/'));
    // Files are served as opaque bytes: never let a browser render an uploaded HTML/SVG inline.
    res.type('application/octet-stream').set({
      'Content-Disposition': `attachment; filename="${segments.at(-1)?.replace(/["\\\r\n]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'public, max-age=31536000, immutable',
    }).send(Buffer.from(data));
  });

  r.post('/designs/:owner/:name/versions/:version/yank', body('yank'), async (req, res) => {
    const input: Parameters<typeof setYanked>[1] = { pkg: pkgOf(req), version: String(req.params.version), actor: requireActor(req), yanked: true };
    if (req.body.reason) input.reason = req.body.reason;
    res.json(await withinAllowance(deps, 'yanks', input.actor.name, () => setYanked(deps, input)));
  });

  r.delete('/designs/:owner/:name/versions/:version/yank', async (req, res) => {
    const actor = requireActor(req);
    res.json(await withinAllowance(deps, 'yanks', actor.name, () => setYanked(deps, { pkg: pkgOf(req), version: req.params.version!, actor, yanked: false })));
  });

  r.put('/designs/:owner/:name/owners', body('owners'), async (req, res) => {
    const change = req.body as { add?: string[]; remove?: string[] };
    const input: Parameters<typeof changeOwners>[1] = { pkg: pkgOf(req), actor: requireActor(req) };
    if (change.add) input.add = change.add;
    if (change.remove) input.remove = change.remove;
    res.json(await changeOwners(deps, input));
  });

  return r;
}
