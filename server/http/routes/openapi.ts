import { Router } from 'express';
import { openApiDocument } from '../openapi.ts';

export function openApiRoutes(): Router {
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(openApiDocument());
  });
  return r;
}
