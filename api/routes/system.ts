import { Router } from 'express';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { openApiDocument } from '../http/openapi.js';
import { route } from '../http/route.js';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

export function systemRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/api/health', async (_req, res) => {
    const [temporal, database] = await Promise.all([
      within(3000, ctx.temporal.connection.workflowService.getSystemInfo({})).then(() => 'ok', () => 'down'),
      within(3000, ctx.database.db.execute(sql`select 1`)).then(() => 'ok', () => 'down'),
    ]);
    res.status(temporal === 'ok' && database === 'ok' ? 200 : 503).json({ temporal, database });
  });

  router.get('/api/openapi.json', (_req, res) => { res.json(openApiDocument()); });

  route(router, {
    method: 'get', path: '/api/config', summary: 'Public settings the web apps need', tag: 'system', access: 'public',
    response: z.object({ temporalUiUrl: z.string(), namespace: z.string() }),
  }, async () => ({ temporalUiUrl: ctx.config.temporalUiUrl, namespace: ctx.config.namespace }));

  return router;
}
