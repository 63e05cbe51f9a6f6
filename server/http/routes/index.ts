import type { Router } from 'express';
import type { Deps } from '../../services/deps.ts';
import { certificationRoutes } from './certifications.ts';
import { forkRoutes } from './forks.ts';
import { bomRoutes } from './bom.ts';
import { openApiRoutes } from './openapi.ts';
import { interopRoutes } from './interop.ts';
import { productionRoutes } from './production.ts';
import { buildRoutes } from './builds.ts';

/** Routes of later capabilities (BOM, forks, certification), registered in one place. */
export function extraRoutes(deps: Deps): Router[] {
  return [
    certificationRoutes(deps),
    forkRoutes(deps),
    bomRoutes(deps),
    openApiRoutes(),
    interopRoutes(deps),
    productionRoutes(deps),
    buildRoutes(deps),
  ];
}
