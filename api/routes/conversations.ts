import { Router } from 'express';
import { z } from 'zod';
import { listConversationSummaries } from '../../db/queries.js';
import { ConversationStatusSchema } from '../../domain/conversation.js';
import { OutgoingTextSchema, RatingInputSchema } from '../../domain/messages.js';
import type { ApiContext } from '../context.js';
import { INT8_JS_MAX, integerParam } from '../http/integers.js';
import { route } from '../http/route.js';
import type { ConversationService } from '../services/conversations.js';
import { ChatMessageSchema, ConversationSummarySchema, IdParams } from '../../domain/contracts/rest.js';

export function conversationRoutes(ctx: ApiContext, conversations: ConversationService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/conversations', operationId: 'listConversations', summary: 'Conversations (admins: all; agents: the ones they hold)', tag: 'conversations', access: 'staff',
    query: z.object({ status: z.union([ConversationStatusSchema, z.array(ConversationStatusSchema)]).optional(), limit: integerParam('limit', { min: 1, max: 500 }).default(200) }).strict(),
    response: z.object({ conversations: z.array(ConversationSummarySchema) }),
  }, async ({ principal, query }) => {
    return {
      conversations: await listConversationSummaries(ctx.database.db, {
        ...(query.status ? { statuses: Array.isArray(query.status) ? query.status : [query.status] } : {}),
        ...(principal?.kind === 'staff' && principal.role !== 'admin' ? { agentId: principal.userId } : {}),
        limit: query.limit,
      }),
    };
  });

  route(router, {
    method: 'get', path: '/api/conversations/:id', operationId: 'getConversation', notFound: 'No such conversation (a visitor sees only their own)', summary: 'One conversation', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, response: ConversationSummarySchema,
  }, async ({ principal, params }) => conversations.getReadable(principal!, params.id));

  route(router, {
    method: 'get', path: '/api/conversations/:id/messages', operationId: 'listMessages', notFound: 'No such conversation (a visitor sees only their own)', summary: 'Transcript, oldest first', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, query: z.object({ after: integerParam('after', { min: 0, max: INT8_JS_MAX }).default(0) }).strict(), // messages.seq is int8 (read as a JS number)
    response: z.object({ messages: z.array(ChatMessageSchema) }),
  }, async ({ principal, params, query }) => ({ messages: await conversations.history(principal!, params.id, query.after) }));

  route(router, {
    method: 'post', path: '/api/conversations/:id/messages', operationId: 'sendMessage', notFound: 'No such conversation (a visitor sees only their own)', rateLimited: true, conflict: 'the conversation is closed, or the clientId belongs to another sender\'s message', summary: 'Send a chat message (visitor, or the agent serving it)', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, body: OutgoingTextSchema.strict(), response: z.object({ message: ChatMessageSchema }), status: 201,
  }, async ({ principal, params, body }) => ({ message: await conversations.postMessage(principal!, params.id, body) }));

  route(router, {
    method: 'post', path: '/api/conversations/:id/close', operationId: 'closeConversation', notFound: 'No such conversation (a visitor sees only their own)', conflict: 'the conversation is already closed, or the desk requires a tag or a call reason before staff close it (GET /api/settings/closing)', summary: 'End the conversation', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, body: z.object({}).strict(), response: ConversationSummarySchema,
  }, async ({ principal, params }) => conversations.close(principal!, params.id));

  route(router, {
    method: 'post', path: '/api/conversations/:id/rating', operationId: 'rateConversation', notFound: 'No such conversation (a visitor sees only their own)', conflict: 'the rating window is not open (not yet, or closed)', summary: 'Rate the service (visitor, within the rating window)', tag: 'conversations', access: 'visitor',
    params: IdParams, body: RatingInputSchema.extend({ requestId: z.uuid() }).strict(), response: z.object({ counted: z.boolean() }),
  }, async ({ principal, params, body }) => conversations.rate(principal!, params.id, body));

  return router;
}
