import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { OUTAGE_RETRY_AFTER_SEC } from '../http/errors.js';
import { openApiDocument, RETRY_AFTER } from '../http/openapi.js';
import { route } from '../http/route.js';
import { readinessService } from '../services/readiness.js';

const Check = z.enum(['ok', 'down']);
const HealthSchema = z.object({ temporal: Check, database: Check });
const ReadinessSchema = z.object({
  ready: z.boolean(),
  database: Check,
  temporal: Check,
  worker: z.enum(['ok', 'none', 'unknown']),
  missing: z.array(z.string()),
});

export function systemRoutes(ctx: ApiContext): Router {
  const router = Router();
  const readiness = readinessService(ctx);

  route(router, {
    method: 'get', path: '/api/health', operationId: 'getHealth', summary: 'Whether this API process reaches Temporal and PostgreSQL', tag: 'system', access: 'public',
    response: HealthSchema,
    responses: { 503: { description: 'Temporal or PostgreSQL is down (named in the body)', schema: HealthSchema, headers: RETRY_AFTER } },
  }, async ({ res }) => {
    const health = await readiness.health();
    if (health.temporal === 'ok' && health.database === 'ok') return health;
    res.status(503).set('Retry-After', String(OUTAGE_RETRY_AFTER_SEC)).json(health);
  });

  route(router, {
    method: 'get', path: '/api/ready', operationId: 'getReadiness', summary: 'Ready to serve conversations: both stores answer and a worker polls Parley\'s task queue', tag: 'system', access: 'public',
    response: ReadinessSchema,
    responses: { 503: { description: 'Not ready; `missing` says why', schema: ReadinessSchema, headers: RETRY_AFTER } },
  }, async ({ res }) => {
    const state = await readiness.ready();
    res.setHeader('Cache-Control', 'no-store');
    if (state.ready) return state;
    res.status(503).set('Retry-After', String(OUTAGE_RETRY_AFTER_SEC)).json(state);
  });

  route(router, {
    method: 'get', path: '/api/openapi.json', operationId: 'getOpenApiDocument', summary: 'This OpenAPI 3.1 document', tag: 'system', access: 'public',
    response: z.record(z.string(), z.unknown()),
  }, async () => openApiDocument());

  route(router, {
    method: 'get', path: '/api/config', operationId: 'getPublicConfig', summary: 'Public settings the web apps need', tag: 'system', access: 'public',
    response: z.object({ temporalUiUrl: z.string(), namespace: z.string() }),
  }, async () => ({ temporalUiUrl: ctx.config.temporalUiUrl, namespace: ctx.config.namespace }));

  return router;
}
