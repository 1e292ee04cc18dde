import { Router } from 'express';
import { z } from 'zod';
import { openConversationsOfVisitor } from '../../db/queries.js';
import { blacklistLogOf, findVisitor, setVisitorBlocked } from '../../db/visitors.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import type { ConversationService } from '../services/conversations.js';
import { BlacklistLogEntrySchema as LogEntry } from '../../domain/contracts/rest.js';

const VisitorId = z.object({ id: z.uuid({ error: 'id must be a visitor id (UUID)' }) });
const Reason = z.object({ reason: z.string().trim().min(1, 'a reason is required').max(500) }).strict();

export function blacklistRoutes(ctx: ApiContext, conversationsService: ConversationService): Router {
  const router = Router();
  const { db } = ctx.database;

  route(router, {
    method: 'post', path: '/api/visitors/:id/block', operationId: 'blockVisitor', notFound: 'No such visitor', conflict: 'the visitor is already blocked', summary: 'Block a visitor (ends their open conversations); admins, or the agent serving them', tag: 'blacklist', access: 'staff',
    params: VisitorId, body: Reason, response: z.object({ blocked: z.literal(true), closed: z.number().int() }),
  }, async ({ principal, params, body }) => {
    if (principal?.kind !== 'staff') throw forbidden();
    const visitor = await findVisitor(db, params.id);
    if (!visitor) throw notFound('Visitor');
    const open = await openConversationsOfVisitor(db, params.id);
    if (principal.role !== 'admin' && !open.some((c) => c.agentId === principal.userId)) throw forbidden('Agents can block only a visitor they are serving');
    if (visitor.blocked) throw conflict('This visitor is already blocked');
    await setVisitorBlocked(db, params.id, { action: 'block', reason: body.reason, actorId: principal.userId });
    const adminPrincipal = { kind: 'staff' as const, userId: principal.userId, role: 'admin' as const };
    let closed = 0;
    for (const c of open) {
      await conversationsService.close(principal.role === 'admin' ? adminPrincipal : principal, c.id).then(() => closed++, () => undefined);
    }
    return { blocked: true as const, closed };
  });

  route(router, {
    method: 'post', path: '/api/visitors/:id/unblock', operationId: 'unblockVisitor', notFound: 'No such visitor', conflict: 'the visitor is not blocked', summary: 'Unblock a visitor', tag: 'blacklist', access: 'admin',
    params: VisitorId, body: Reason, response: z.object({ blocked: z.literal(false) }),
  }, async ({ principal, params, body }) => {
    const visitor = await findVisitor(db, params.id);
    if (!visitor) throw notFound('Visitor');
    if (!visitor.blocked) throw conflict('This visitor is not blocked');
    await setVisitorBlocked(db, params.id, { action: 'unblock', reason: body.reason, actorId: principal!.kind === 'staff' ? principal!.userId : '' });
    return { blocked: false as const };
  });

  route(router, {
    method: 'get', path: '/api/visitors/:id/blacklist-log', operationId: 'getVisitorBlacklistLog', notFound: 'No such visitor', summary: 'Every block and unblock of a visitor, newest first', tag: 'blacklist', access: 'admin',
    params: VisitorId, response: z.object({ blocked: z.boolean(), log: z.array(LogEntry) }),
  }, async ({ params }) => {
    const visitor = await findVisitor(db, params.id);
    if (!visitor) throw notFound('Visitor');
    const rows = await blacklistLogOf(db, params.id);
    return { blocked: visitor.blocked, log: rows.map((r) => ({ action: r.action, reason: r.reason, actorId: r.actorId, at: r.at.toISOString() })) };
  });

  return router;
}
