import { Router, type Request } from 'express';
import { OhwError } from '../../../schema/errors.ts';
import { bomToCsv } from '../../../schema/bom/csv.ts';
import type { BomCosting } from '../../../schema/bom/cost.ts';
import type { Deps } from '../../services/deps.ts';
import { bomOfVersion, parseBatch, parseRatesParam, type BomOptions } from '../../services/explode-bom.ts';
import { dependentsOf } from '../../services/dependents.ts';

const pkgOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

/** A query parameter given at most once, as text (`?a=1&a=2` and `?a[b]=1` are refused). */
function one(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new OhwError('INVALID_REQUEST', `query parameter "${name}" must be given once, as text`);
  return v;
}

function flag(req: Request, name: string): boolean {
  const v = one(req, name);
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === '' || v === 'true' || v === '1') return true; // `?excludeYanked` alone means true
  throw new OhwError('INVALID_REQUEST', `query parameter "${name}" must be true or false (got "${v}")`);
}

/** BOM explosion and where-used (issue 6). */
export function bomRoutes(deps: Deps): Router {
  const r = Router();

  // ?batch=N (default 1) &currency=EUR &rates=USD:1.08,GBP:0.85 (or rates JSON) &format=json|csv
  r.get('/designs/:owner/:name/versions/:version/bom', async (req, res) => {
    const format = (one(req, 'format') ?? 'json').toLowerCase();
    if (format !== 'json' && format !== 'csv') throw new OhwError('INVALID_REQUEST', `format must be json or csv (got "${format}")`);
    const opts: BomOptions = { batch: parseBatch(one(req, 'batch')) };
    const currency = one(req, 'currency');
    if (currency !== undefined && currency !== '') opts.currency = currency;
    const rates = parseRatesParam(one(req, 'rates'), opts.currency);
    if (rates) opts.rates = rates;

    const report = await bomOfVersion(deps, pkgOf(req), req.params.version!, opts);
    if (format === 'json') return void res.json(report);
    const { currency: cur, ...rest } = report;
    const costing: BomCosting = { ...rest, ...(cur ? { currency: cur } : {}) };
    const file = `${report.package.replace('/', '-')}-${report.version}-bom-x${report.batch}.csv`;
    res.type('text/csv; charset=utf-8')
      .set({ 'Content-Disposition': `attachment; filename="${file}"`, 'X-Content-Type-Options': 'nosniff' })
      .send(bomToCsv(costing));
  });

  // ?version=X.Y.Z (dependents of that version only) &excludeYanked=true
  r.get('/designs/:owner/:name/dependents', async (req, res) => {
    const opts: Parameters<typeof dependentsOf>[2] = {};
    const version = one(req, 'version');
    if (version) opts.version = version;
    if (flag(req, 'excludeYanked')) opts.excludeYanked = true;
    res.json(await dependentsOf(deps, pkgOf(req), opts));
  });

  return r;
}
