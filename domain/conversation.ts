import { z } from 'zod';
import type { ClosedBy } from './messages.js';
import { SUPPORTED_LOCALES } from './locales.js';

/**
 * bot: the service flow is talking; queued: waiting for an agent; offered: held for an agent to accept;
 * assigned: an agent is serving; rating: closed, the rating window is open; ended: finished.
 */
export const ConversationStatusSchema = z.enum(['bot', 'queued', 'offered', 'assigned', 'rating', 'ended']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

export const ChannelSchema = z.string().regex(/^[a-z0-9-]{1,32}$/, 'channel must be lowercase letters, digits or dashes');

/** A locale the visitor's conversation is held in (issue 19): one of domain/locales.ts, exactly. */
export const LocaleSchema = z.enum(SUPPORTED_LOCALES, { error: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` });

/** The projection of a conversation kept in PostgreSQL for lists and search. */
export interface ConversationSummary {
  id: string;
  workflowId: string;
  visitorId: string;
  visitorName: string;
  channel: string;
  status: ConversationStatus;
  agentId: string | null;
  agentName: string | null;
  teamId: string | null;
  flowId: string;
  flowVersion: number;
  queuePosition: number | null;
  closedBy: ClosedBy | null;
  rating: number | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export { conversationWorkflowId } from './ids.js';
