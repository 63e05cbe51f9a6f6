import { Router } from 'express';
import type { Deps } from '../../services/deps.ts';
import { parseSearchQuery } from '../../domain/search-query.ts';

export function searchRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/search', async (req, res) => {
    const query = parseSearchQuery(req.query as Record<string, string | string[] | undefined>);
    res.json(await deps.search.search(query));
  });
  return r;
}
