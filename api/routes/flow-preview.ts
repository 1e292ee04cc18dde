import { Router } from 'express';
import { z } from 'zod';
import { outboundRequest, OutboundRefusedError, ResponseTooLargeError, STRICT_OUTBOUND } from '../../activities/outbound-http.js';
import { webhookRequest } from '../../activities/webhook-request.js';
import { getFlow } from '../../db/flows.js';
import { PreviewHttpCallSchema } from '../../domain/contracts/rest.js';
import { VariableNameSchema } from '../../domain/flow/nodes/kit.js';
import type { ApiContext } from '../context.js';
import { notFound } from '../http/errors.js';
import { route } from '../http/route.js';

/**
 * The designer's "call it for real" (issue 20): the preview's http node called from the server, never from the
 * admin's browser, under the outbound policy the workflows' http node runs under (activities/outbound-http.ts:
 * public addresses only unless PARLEY_OUTBOUND_ALLOW names the host, every resolved address checked, no
 * redirects, bounded answer and time). The answer is shown to the admin, who may use it as the preview's stub.
 */

const FlowParams = z.object({ flowId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'flow id: lowercase letters, digits and dashes, starting with a letter or digit (at most 64)') });

export function flowPreviewRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { db } = ctx.database;
  const outbound = {
    policy: ctx.config.outbound ?? STRICT_OUTBOUND.policy,
    maxResponseBytes: ctx.config.outboundMaxResponseBytes ?? STRICT_OUTBOUND.maxResponseBytes,
  };

  route(router, {
    method: 'post', path: '/api/flows/:flowId/preview/http-call', operationId: 'callPreviewHttp', notFound: 'No such flow',
    summary: 'Call an http node\'s URL for the designer\'s preview, from the server under the outbound policy (never a redirect, a private address unless allowed, or a large answer)', tag: 'flows', access: 'admin',
    params: FlowParams,
    body: z.object({
      url: z.url({ protocol: /^https?$/, error: 'url: an http(s) URL' }).max(2048),
      method: z.enum(['GET', 'POST']),
      payload: z.record(VariableNameSchema, z.string().max(4000)).refine((p) => Object.keys(p).length <= 50, 'payload: at most 50 variables'),
      timeoutMs: z.number().int().min(100).max(60_000),
    }).strict(),
    response: PreviewHttpCallSchema,
  }, async ({ params, body }) => {
    if (!(await getFlow(db, params.flowId))) throw notFound('Flow');
    const { url, request } = webhookRequest(body);
    const started = Date.now();
    try {
      const res = await outboundRequest(url, request, outbound);
      return { outcome: 'answered' as const, status: res.status, body: res.body, ms: Date.now() - started };
    } catch (err) {
      const refused = err instanceof OutboundRefusedError || err instanceof ResponseTooLargeError;
      const message = err instanceof Error ? err.message : 'the call failed';
      return { outcome: refused ? 'refused' as const : 'failed' as const, error: message.slice(0, 500), ms: Date.now() - started };
    }
  });

  return router;
}
