import { Router } from 'express';
import type { Deps } from '../../services/deps.ts';
import schema from '../../../schema/design.schema.json' with { type: 'json' };
import pkg from '../../../package.json' with { type: 'json' };

export function healthRoute(deps: Deps): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    res.json({
      status: 'ok',
      versions: { server: pkg.version, api: 'v1', manifestSchema: (schema as { $id: string }).$id },
      search: await deps.search.health(),
    });
  });
  return r;
}
