import type { ChatMessage } from '../domain/messages.js';
import type { ConversationStatus, ConversationSummary } from '../domain/conversation.js';
import type { ClosedBy } from '../domain/messages.js';
import type { conversations, messages } from './schema.js';

type MessageRow = Omit<typeof messages.$inferSelect, 'staffOnly'>;
type ConversationRow = typeof conversations.$inferSelect;

export function toChatMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    sender: row.sender,
    senderId: row.senderId,
    senderName: row.senderName,
    body: row.body,
    clientId: row.clientId,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toConversationSummary(row: ConversationRow, names: { visitorName: string; agentName: string | null }): ConversationSummary {
  return {
    id: row.id,
    workflowId: row.workflowId,
    visitorId: row.visitorId,
    visitorName: names.visitorName,
    channel: row.channel,
    status: row.status as ConversationStatus,
    agentId: row.agentId,
    agentName: names.agentName,
    teamId: row.teamId,
    flowId: row.flowId,
    flowVersion: row.flowVersion,
    queuePosition: row.queuePosition,
    closedBy: row.closedBy as ClosedBy | null,
    rating: row.rating,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}
