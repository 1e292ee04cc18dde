import { Router } from 'express';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { openApiDocument, RETRY_AFTER } from '../http/openapi.js';
import { route } from '../http/route.js';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

const HealthSchema = z.object({ temporal: z.enum(['ok', 'down']), database: z.enum(['ok', 'down']) });

export function systemRoutes(ctx: ApiContext): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/health', operationId: 'getHealth', summary: 'Whether the API reaches Temporal and PostgreSQL', tag: 'system', access: 'public',
    response: HealthSchema,
    responses: { 503: { description: 'Temporal or PostgreSQL is down (named in the body)', schema: HealthSchema, headers: RETRY_AFTER } },
  }, async ({ res }) => {
    const [temporal, database] = await Promise.all([
      within(3000, ctx.temporal.connection.workflowService.getSystemInfo({})).then(() => 'ok' as const, () => 'down' as const),
      within(3000, ctx.database.db.execute(sql`select 1`)).then(() => 'ok' as const, () => 'down' as const),
    ]);
    if (temporal === 'ok' && database === 'ok') return { temporal, database };
    res.status(503).set('Retry-After', '5').json({ temporal, database });
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
