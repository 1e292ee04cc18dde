import { and, asc, desc, eq, gt, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ConversationSummary } from '../shared/conversation.js';
import type { ChatMessage } from '../shared/messages.js';
import type { Db } from './client.js';
import { toChatMessage, toConversationSummary } from './mappers.js';
import { conversations, messages, users, visitors } from './schema.js';

const agent = alias(users, 'agent');

/** Conversation rows with the display names the apps show. */
export async function findConversationSummaries(db: Db, where: SQL | undefined, limit = 200, order: 'oldest' | 'newest' = 'oldest'): Promise<ConversationSummary[]> {
  const rows = await db
    .select({ c: conversations, visitorName: visitors.displayName, agentName: agent.nickname })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(agent, eq(agent.id, conversations.agentId))
    .where(where)
    .orderBy(order === 'oldest' ? asc(conversations.createdAt) : desc(conversations.createdAt))
    .limit(limit);
  return rows.map((r) => toConversationSummary(r.c, { visitorName: r.visitorName, agentName: r.agentName }));
}

export async function findConversationSummary(db: Db, id: string): Promise<ConversationSummary | null> {
  const [row] = await findConversationSummaries(db, eq(conversations.id, id), 1);
  return row ?? null;
}

export async function listMessages(db: Db, conversationId: string, afterSeq = 0): Promise<ChatMessage[]> {
  const rows = await db.select().from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq));
  return rows.map(toChatMessage);
}
