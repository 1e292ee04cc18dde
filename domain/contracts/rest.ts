import { z } from 'zod';
import { ConversationStatusSchema } from '../conversation.js';
import { ClosedBySchema, MessageBodySchema, SenderSchema } from '../messages.js';

/** Response shapes for the OpenAPI document (requests are validated by the schemas next to each route). */
export const ConversationSummarySchema = z.object({
  id: z.uuid(), workflowId: z.string(), visitorId: z.uuid(), visitorName: z.string(), channel: z.string(),
  status: ConversationStatusSchema, agentId: z.uuid().nullable(), agentName: z.string().nullable(), teamId: z.string().nullable(),
  flowId: z.string(), flowVersion: z.number().int(), queuePosition: z.number().int().nullable(), closedBy: ClosedBySchema.nullable(),
  rating: z.number().int().nullable(), createdAt: z.string(), updatedAt: z.string(), endedAt: z.string().nullable(),
});

export const ChatMessageSchema = z.object({
  id: z.uuid(), conversationId: z.uuid(), seq: z.number().int(), sender: SenderSchema, senderId: z.string().nullable(),
  senderName: z.string().nullable(), body: MessageBodySchema, clientId: z.string().nullable(), createdAt: z.string(),
});

export const IdParams = z.object({ id: z.uuid({ error: 'id must be a conversation id (UUID)' }) });
