import { Router } from 'express';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { conversations as table } from '../../db/schema.js';
import { findConversationSummaries } from '../../db/queries.js';
import { ConversationStatusSchema } from '../../shared/conversation.js';
import { OutgoingTextSchema, RatingInputSchema } from '../../shared/messages.js';
import type { ApiContext } from '../context.js';
import { RATE_LIMITED_RESPONSE } from '../http/rate-limit.js';
import { route } from '../http/route.js';
import type { ConversationService } from '../services/conversations.js';
import { ChatMessageSchema, ConversationSummarySchema, IdParams } from './schemas.js';

export function conversationRoutes(ctx: ApiContext, conversations: ConversationService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/conversations', summary: 'Conversations (admins: all; agents: the ones they hold)', tag: 'conversations', access: 'staff',
    query: z.object({ status: z.union([ConversationStatusSchema, z.array(ConversationStatusSchema)]).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }).strict(),
    response: z.object({ conversations: z.array(ConversationSummarySchema) }),
  }, async ({ principal, query }) => {
    const filters: SQL[] = [];
    if (query.status) filters.push(inArray(table.status, Array.isArray(query.status) ? query.status : [query.status]));
    if (principal?.kind === 'staff' && principal.role !== 'admin') filters.push(eq(table.agentId, principal.userId));
    return { conversations: await findConversationSummaries(ctx.database.db, filters.length ? and(...filters) : undefined, query.limit) };
  });

  route(router, {
    method: 'get', path: '/api/conversations/:id', summary: 'One conversation', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, response: ConversationSummarySchema,
  }, async ({ principal, params }) => conversations.getVisible(principal!, params.id));

  route(router, {
    method: 'get', path: '/api/conversations/:id/messages', summary: 'Transcript, oldest first', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, query: z.object({ after: z.coerce.number().int().min(0).default(0) }).strict(),
    response: z.object({ messages: z.array(ChatMessageSchema) }),
  }, async ({ principal, params, query }) => ({ messages: await conversations.history(principal!, params.id, query.after) }));

  route(router, {
    method: 'post', path: '/api/conversations/:id/messages', summary: 'Send a chat message (visitor, or the agent serving it)', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, body: OutgoingTextSchema.strict(), response: z.object({ message: ChatMessageSchema }), status: 201, responses: RATE_LIMITED_RESPONSE,
  }, async ({ principal, params, body }) => ({ message: await conversations.postMessage(principal!, params.id, body) }));

  route(router, {
    method: 'post', path: '/api/conversations/:id/close', summary: 'End the conversation', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, body: z.object({}).strict(), response: ConversationSummarySchema,
  }, async ({ principal, params }) => conversations.close(principal!, params.id));

  route(router, {
    method: 'post', path: '/api/conversations/:id/rating', summary: 'Rate the service (visitor, within the rating window)', tag: 'conversations', access: 'visitor',
    params: IdParams, body: RatingInputSchema.extend({ requestId: z.uuid() }).strict(), response: z.object({ counted: z.boolean() }),
  }, async ({ principal, params, body }) => conversations.rate(principal!, params.id, body));

  return router;
}
