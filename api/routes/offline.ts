import { Router } from 'express';
import { z } from 'zod';
import { ChannelAvailabilitySchema } from '../../domain/availability.js';
import { ChannelSchema } from '../../domain/conversation.js';
import { ConversationSummarySchema } from '../../domain/contracts/rest.js';
import { LeftMessageFilterSchema, LeftMessageInputSchema, LeftMessageSchema } from '../../domain/left-messages.js';
import { route } from '../http/route.js';
import { integerParam } from '../http/integers.js';
import type { AvailabilityService } from '../services/availability.js';
import type { LeftMessageService } from '../services/left-messages.js';

const LeftMessageParams = z.object({ id: z.uuid({ error: 'id must be a left message id (UUID)' }) });

/** Issue 19, "when nobody can answer": a channel's availability, messages visitors left, and staff handling them. */
export function offlineRoutes(availability: AvailabilityService, leftMessages: LeftMessageService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/channels/:channel/availability', operationId: 'getChannelAvailability', rateLimited: true, tag: 'offline', access: 'public',
    summary: "A channel's online / away / offline state and typical reply time",
    description: '`online`: an agent of a team the channel hands off to is signed in and accepting; `away`: signed in, all away or busy; `offline`: none signed in, or outside the flow\'s working hours (`reason`). `typicalReplySec`: the median first response of recent conversations (null without enough). Cached for a few seconds.',
    notFound: 'No service flow is published for the channel',
    params: z.object({ channel: ChannelSchema }), response: ChannelAvailabilitySchema,
  }, async ({ params }) => availability.get(params.channel));

  route(router, {
    method: 'post', path: '/api/visitor/left-message', operationId: 'leaveMessage', rateLimited: true, tag: 'offline', access: 'visitor', status: 201,
    summary: 'Leave a message for staff instead of waiting (ends the conversation)',
    description: 'Only while the visitor\'s open conversation offers it (nobody online, out of hours, or a wait past the flow\'s limit). Name, an e-mail address or a phone number, and the message. The conversation closes with `closedBy: left-message`.',
    conflict: 'no open conversation, or it does not offer to leave a message',
    body: LeftMessageInputSchema, response: z.object({ leftMessage: LeftMessageSchema, conversation: ConversationSummarySchema }),
  }, async ({ principal, body }) => leftMessages.submit(principal!, body));

  route(router, {
    method: 'get', path: '/api/left-messages', operationId: 'listLeftMessages', tag: 'offline', access: 'staff',
    summary: 'Messages visitors left, newest first',
    description: '`status`: `open` (not handled yet, the default), `handled` or `all`. Every member of staff sees them all.',
    query: z.object({ status: LeftMessageFilterSchema.default('open'), limit: integerParam('limit', { min: 1, max: 200 }).default(50) }).strict(),
    response: z.object({ leftMessages: z.array(LeftMessageSchema) }),
  }, async ({ principal, query }) => ({ leftMessages: await leftMessages.list(principal!, query.status, query.limit) }));

  route(router, {
    method: 'put', path: '/api/left-messages/:id/handled', operationId: 'setLeftMessageHandled', tag: 'offline', access: 'staff',
    summary: 'Mark a left message handled (or open again)', notFound: 'No such left message',
    description: 'Who handled it first and when are kept when it is marked handled again.',
    params: LeftMessageParams, body: z.object({ handled: z.boolean() }).strict(), response: LeftMessageSchema,
  }, async ({ principal, params, body }) => leftMessages.setHandled(principal!, params.id, body.handled));

  return router;
}
