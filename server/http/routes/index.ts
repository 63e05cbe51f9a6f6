import type { Router } from 'express';
import type { Deps } from '../../services/deps.ts';

/** Routes of later capabilities (BOM, forks, certification), registered in one place. */
export function extraRoutes(_deps: Deps): Router[] {
  return [];
}
