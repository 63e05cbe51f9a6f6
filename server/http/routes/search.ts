import { Router } from 'express';
import type { Deps } from '../../services/deps.ts';
import { parseSearchQuery } from '../../domain/search-query.ts';
import type { SearchDocument } from '../../domain/search-document.ts';
import { producerFilters } from '../../services/production/producers.ts';

/**
 * What a result list shows. The matching-only fields (every part name, MPN, tool, region,
 * keyword) stay in the index: sending them made serialising the answer cost as much as the search.
 */
function hit(d: SearchDocument & { score?: number }) {
  const { package: pkg, owner, name, version, title, summary, category, categories, licenses, licenseFamily, processes,
    facilityLevel, otrl, odrl, certified, certification, forkOf, estimatedCost, updatedAt, score, built } = d;
  return { package: pkg, owner, name, version, title, summary, category, categories, licenses, licenseFamily, processes,
    facilityLevel, otrl, odrl, certified, certification, forkOf, estimatedCost, updatedAt, score, built };
}

export function searchRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/search', async (req, res) => {
    const query = parseSearchQuery(req.query as Record<string, string | string[] | undefined>);
    // What a producer's profile can make (issue 16): its processes and facility level as filters.
    if (req.query.producer !== undefined) Object.assign(query.filters, await producerFilters(deps, req.query.producer));
    const result = await deps.search.search(query);
    res.json({ ...result, hits: result.hits.map(hit) });
  });
  return r;
}
