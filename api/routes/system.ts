import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { openApiDocument } from '../http/openapi.js';
import { OUTAGE_RETRY_AFTER_SEC } from '../http/errors.js';
import { route } from '../http/route.js';
import { readinessService } from '../services/readiness.js';

export function systemRoutes(ctx: ApiContext): Router {
  const router = Router();

  const readiness = readinessService(ctx);

  // Liveness of the stores as this API process sees them.
  router.get('/api/health', async (_req, res) => {
    const { temporal, database } = await readiness.health();
    const ok = temporal === 'ok' && database === 'ok';
    if (!ok) res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SEC));
    res.status(ok ? 200 : 503).json({ temporal, database });
  });

  // Ready to serve conversations: both stores answer and a worker polls Parley's task queue.
  router.get('/api/ready', async (_req, res) => {
    const state = await readiness.ready();
    if (!state.ready) res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SEC));
    res.setHeader('Cache-Control', 'no-store');
    res.status(state.ready ? 200 : 503).json(state);
  });

  router.get('/api/openapi.json', (_req, res) => { res.json(openApiDocument()); });

  route(router, {
    method: 'get', path: '/api/config', summary: 'Public settings the web apps need', tag: 'system', access: 'public',
    response: z.object({ temporalUiUrl: z.string(), namespace: z.string() }),
  }, async () => ({ temporalUiUrl: ctx.config.temporalUiUrl, namespace: ctx.config.namespace }));

  return router;
}
