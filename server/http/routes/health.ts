import { Router } from 'express';
import type { Deps } from '../../services/deps.ts';
import { isAdmin } from '../../domain/policy.ts';
import schema from '../../../schema/design.schema.json' with { type: 'json' };
import pkg from '../../../package.json' with { type: 'json' };

/**
 * `status` is `degraded` when the search engine is not fully ok, with the engine's public reason
 * (never a host, URL or client error message). The operator detail (which may name them) is shown
 * to an admin only: role admin AND a token with scope admin.
 */
export function healthRoute(deps: Deps): Router {
  const r = Router();
  r.get('/health', async (req, res) => {
    const h = await deps.search.health();
    const status = h.status ?? (h.ok ? 'ok' : 'down');
    const search: Record<string, unknown> = { ok: h.ok, engine: h.engine, status };
    if (h.reason) search.reason = h.reason;
    const admin = req.actor !== undefined && isAdmin(req.actor);
    if (admin && h.detail) search.detail = h.detail;
    res.json({
      status: status === 'ok' ? 'ok' : 'degraded',
      versions: { server: pkg.version, api: 'v1', manifestSchema: (schema as { $id: string }).$id },
      search,
    });
  });
  return r;
}
