/** @jsxImportSource preact */
/** Pages anyone can read: home, search, designs, BOMs, images, certificates, accounts, the API. */
import { Router, type Request, type Response } from 'express';
import { OhwError } from '../../schema/errors.ts';
import type { Deps } from '../services/deps.ts';
import { defaultSearchQuery, parseSearchQuery } from '../domain/search-query.ts';
import { bomOfVersion, parseBatch, type BomReport } from '../services/explode-bom.ts';
import { readVersion, readVersionFile } from '../services/read-design.ts';
import { readCertificate, readCertification } from '../services/certification.ts';
import { accountView } from '../services/account-view.ts';
import { profilesOf } from '../services/production/producers.ts';
import { designView, latestVersionOf } from './design-view.ts';
import { PageCache } from './page-cache.ts';
import { rasterContentType } from './raster.ts';
import { html, sendHtml, sendPage, viewerOf } from './render.ts';
import { HomePage, type HomeData } from './pages/home.tsx';
import { SearchPage, type QueryParams } from './pages/search.tsx';
import { DesignPage } from './pages/design.tsx';
import { BomPage } from './pages/bom.tsx';
import { CertificatePage } from './pages/certificates.tsx';
import { AccountPage } from './pages/account.tsx';
import { ApiPage } from './pages/api.tsx';
import { openApiDocument } from '../http/openapi.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;
export const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** The query string as plain pairs (repeats kept, mappings dropped) for links the page builds. */
function queryPairs(req: Request): QueryParams {
  const out: QueryParams = [];
  for (const [k, v] of new URLSearchParams(req.originalUrl.split('?')[1] ?? '')) out.push([k, v]);
  return out;
}

/** `?batch=` for a page: a bad value is shown as a message next to the BOM, not a bare error. */
function batchOf(req: Request): { batch: number; error?: string } {
  try {
    return { batch: parseBatch(typeof req.query.batch === 'string' ? req.query.batch : undefined) };
  } catch (e) {
    if (e instanceof OhwError) return { batch: 1, error: e.message };
    throw e;
  }
}

export function publicPages(deps: Deps): Router {
  const r = Router();
  const cache = new PageCache();

  r.get('/', async (req, res) => {
    const [all, recent, certified] = await Promise.all([
      deps.search.search(defaultSearchQuery({ limit: 1 })),
      deps.search.search(defaultSearchQuery({ sort: 'updated', limit: 5 })),
      deps.search.search(defaultSearchQuery({ sort: 'updated', limit: 5, filters: { certified: true } })),
    ]);
    const data: HomeData = {
      designs: all.total,
      certified: certified.total,
      categories: Object.entries(all.facets.category ?? {}).sort((a, b) => b[1] - a[1]),
      recent: recent.hits,
      recentlyCertified: certified.hits,
    };
    sendPage(res, 200, <HomePage viewer={viewerOf(req)} data={data} />);
  });

  r.get('/search', async (req, res) => {
    const params = queryPairs(req);
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    try {
      const query = parseSearchQuery(req.query as Record<string, unknown>);
      const result = await deps.search.search(query);
      sendPage(res, 200, <SearchPage viewer={viewerOf(req)} params={params} q={q} result={result} />);
    } catch (e) {
      // A bad filter or page, or the engine down: the search page with what was wrong, not a bare error.
      if (!(e instanceof OhwError) || !['INVALID_REQUEST', 'SEARCH_UNAVAILABLE'].includes(e.code)) throw e;
      const message = e.code === 'SEARCH_UNAVAILABLE' ? `Search is unavailable right now (${e.message}); design pages still work.` : `That search could not be run: ${e.message}.`;
      sendPage(res, e.code === 'SEARCH_UNAVAILABLE' ? 503 : 400, <SearchPage viewer={viewerOf(req)} params={params} q={q} error={message} />);
    }
  });

  const designPage = async (req: Request, res: Response, version: (pkg: string) => Promise<string>) => {
    const key = await cache.keyFor(deps, req, pkgOf(req));
    const hit = cache.get(key);
    if (hit) return sendHtml(res, 200, hit);
    const { batch, error } = batchOf(req);
    const view = await designView(deps, pkgOf(req), await version(pkgOf(req)), batch);
    if (error) { delete view.bom; view.bomError = error; }
    const body = html(<DesignPage view={view} viewer={viewerOf(req)} origin={originOf(req)} />);
    if (!error) cache.set(key, body);
    sendHtml(res, error ? 400 : 200, body);
  };
  r.get('/designs/:owner/:name', (req, res) => designPage(req, res, (pkg) => latestVersionOf(deps, pkg)));
  r.get('/designs/:owner/:name/v/:version', (req, res) => designPage(req, res, async () => req.params.version!));

  r.get('/designs/:owner/:name/v/:version/bom', async (req, res) => {
    const v = await readVersion(deps, pkgOf(req), req.params.version!);
    const { batch, error } = batchOf(req);
    let report: BomReport | undefined;
    let bomError = error;
    if (!error) {
      try { report = await bomOfVersion(deps, v.package, v.version, { batch }); } catch (e) {
        if (!(e instanceof OhwError)) throw e;
        bomError = e.message;
      }
    }
    sendPage(res, error ? 400 : 200, (
      <BomPage viewer={viewerOf(req)} title={v.manifest.title} pkg={v.package} version={v.version} batch={batch}
        {...(report ? { report } : {})} {...(bomError ? { error: bomError } : {})} />
    ));
  });

  // Raster images only, with their own type and nosniff; anything else is a 404 here (and stays a download).
  r.get('/designs/:owner/:name/v/:version/images/*path', async (req, res) => {
    const path = (req.params as unknown as { path: string[] }).path.join('/');
    const data = await readVersionFile(deps, pkgOf(req), req.params.version!, path);
    const type = rasterContentType(path, data);
    if (!type) throw new OhwError('NOT_FOUND', `"${path}" is not a PNG, JPEG, GIF or WebP image of this design`);
    res.type(type).set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=31536000, immutable', 'Content-Disposition': 'inline' }).send(Buffer.from(data));
  });

  // README links to the design's files: the API's download route (attachment, octet-stream, nosniff).
  r.get('/designs/:owner/:name/v/:version/files/*path', (req, res) => {
    const segments = (req.params as unknown as { path: string[] }).path.map(encodeURIComponent).join('/');
    res.redirect(302, `/api/v1/designs/${encodeURIComponent(req.params.owner!)}/${encodeURIComponent(req.params.name!)}/versions/${encodeURIComponent(req.params.version!)}/files/${segments}`);
  });

  r.get('/certificates/:uid', async (req, res) => {
    const cert = await readCertificate(deps, req.params.uid!);
    const record = await readCertification(deps, cert.certification);
    sendPage(res, 200, <CertificatePage viewer={viewerOf(req)} cert={cert} history={record.history} origin={originOf(req)} />);
  });

  r.get('/accounts/:name', async (req, res) => {
    const account = await accountView(deps, req.params.name!);
    // Public fields only: contact details stay with the API's visibility rule.
    const producers = await profilesOf(deps, undefined, account.name);
    sendPage(res, 200, <AccountPage viewer={viewerOf(req)} account={account} producers={producers} />);
  });

  r.get('/api', (req, res) => {
    sendPage(res, 200, <ApiPage viewer={viewerOf(req)} doc={openApiDocument()} />);
  });

  return r;
}
