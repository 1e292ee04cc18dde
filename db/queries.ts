import { and, asc, desc, eq, gt, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ConversationSummary } from '../shared/conversation.js';
import type { ChatMessage } from '../shared/messages.js';
import type { Db } from './client.js';
import { toChatMessage, toConversationSummary } from './mappers.js';
import { conversations, messages, users, visitors } from './schema.js';

const agent = alias(users, 'agent');

/** Conversation rows with the display names the apps show. */
function summaries(db: Db) {
  return db
    .select({ c: conversations, visitorName: visitors.displayName, agentName: agent.nickname })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(agent, eq(agent.id, conversations.agentId));
}
type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];
const toSummary = (r: SummaryRow) => toConversationSummary(r.c, { visitorName: r.visitorName, agentName: r.agentName });

export async function findConversationSummaries(db: Db, where: SQL | undefined, limit = 200): Promise<ConversationSummary[]> {
  const rows = await summaries(db).where(where).orderBy(asc(conversations.createdAt)).limit(limit);
  return rows.map(toSummary);
}

/**
 * The per-message and per-event queries, built once per process as prepared statements: building them
 * with the query builder on every chat message was a fifth of the API's CPU under chat load (bench profile).
 */
export function conversationQueries(db: Db) {
  const byId = summaries(db).where(eq(conversations.id, sql.placeholder('id'))).limit(1).prepare('conversation_by_id');
  const current = summaries(db)
    .where(and(eq(conversations.visitorId, sql.placeholder('visitorId')), ne(conversations.status, 'ended')))
    .orderBy(desc(conversations.createdAt)).limit(1).prepare('current_conversation');
  const insert = db.insert(messages).values({
    id: sql.placeholder('id'), conversationId: sql.placeholder('conversationId'), sender: sql.placeholder('sender'),
    senderId: sql.placeholder('senderId'), senderName: sql.placeholder('senderName'), body: sql.placeholder('body'), clientId: sql.placeholder('clientId'),
  }).onConflictDoNothing().returning().prepare('insert_chat_message');
  return {
    async summary(id: string): Promise<ConversationSummary | null> {
      const [row] = await byId.execute({ id });
      return row ? toSummary(row) : null;
    },
    /** The visitor's most recent conversation that has not ended. */
    async current(visitorId: string): Promise<ConversationSummary | null> {
      const [row] = await current.execute({ visitorId });
      return row ? toSummary(row) : null;
    },
    /** Inserts a chat message unless its clientId is already stored in the conversation; the new row, if any. */
    async insertMessage(m: { id: string; conversationId: string; sender: 'visitor' | 'agent'; senderId: string; senderName: string | null; body: unknown; clientId: string }) {
      const [row] = await insert.execute(m);
      return row ?? null;
    },
  };
}


export async function listMessages(db: Db, conversationId: string, afterSeq = 0): Promise<ChatMessage[]> {
  const rows = await db.select().from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq));
  return rows.map(toChatMessage);
}
