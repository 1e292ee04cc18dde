import { and, asc, desc, eq, gt, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ConversationSummary, ConversationStatus } from '../domain/conversation.js';
import type { ChatMessage } from '../domain/messages.js';
import type { Db } from './client.js';
import { toChatMessage, toConversationSummary } from './mappers.js';
import { conversations, deskQueue, messages, users, visitors } from './schema.js';

const agent = alias(users, 'agent');

/**
 * Conversation rows with the display names the apps show, and the live queue position from the desk's
 * projection (the desk writes position notices itself; the conversation's own column lags).
 */
function summaries(db: Db) {
  return db
    .select({
      c: conversations, visitorName: visitors.displayName, agentName: agent.nickname,
      deskPosition: sql<number | null>`case when ${deskQueue.queued} then ${deskQueue.position} end`,
    })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(agent, eq(agent.id, conversations.agentId))
    .leftJoin(deskQueue, eq(deskQueue.conversationId, conversations.id));
}
type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];
/** A position only while the conversation waits: a closed or served one has none (the row's column lags). */
const waiting = (status: string) => status === 'queued' || status === 'offered';
const toSummary = (r: SummaryRow) => toConversationSummary(
  { ...r.c, queuePosition: waiting(r.c.status) ? r.deskPosition ?? r.c.queuePosition : null },
  { visitorName: r.visitorName, agentName: r.agentName },
);

export async function findConversationSummaries(db: Db, where: SQL | undefined, limit = 200): Promise<ConversationSummary[]> {
  const rows = await summaries(db).where(where).orderBy(asc(conversations.createdAt)).limit(limit);
  return rows.map(toSummary);
}

/** Conversations in any of `statuses` (all when not given), only the ones `agentId` holds when given; oldest first. */
export async function listConversationSummaries(
  db: Db, filter: { statuses?: ConversationStatus[]; agentId?: string; limit?: number },
): Promise<ConversationSummary[]> {
  const where: SQL[] = [];
  if (filter.statuses) where.push(inArray(conversations.status, filter.statuses));
  if (filter.agentId !== undefined) where.push(eq(conversations.agentId, filter.agentId));
  return findConversationSummaries(db, where.length ? and(...where) : undefined, filter.limit);
}

/** The visitor's conversations that are not closed, with the agent serving (or offered) each. */
export async function openConversationsOfVisitor(db: Db, visitorId: string): Promise<Array<{ id: string; agentId: string | null }>> {
  return db.select({ id: conversations.id, agentId: conversations.agentId }).from(conversations)
    .where(and(eq(conversations.visitorId, visitorId), inArray(conversations.status, ['bot', 'queued', 'offered', 'assigned'])));
}

/** Ids of the conversations the agent holds (assigned or offered to it). */
export async function heldConversationIds(db: Db, agentId: string): Promise<string[]> {
  return (await db.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.agentId, agentId), inArray(conversations.status, ['assigned', 'offered'])))).map((c) => c.id);
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
    /**
     * The chat fast path in one statement: stores the message if the conversation is open and the
     * sender is its visitor or its serving agent, and returns it with the conversation's status as of
     * that same check. Null when nothing was stored (not allowed, closed, or a retried clientId): the
     * caller then takes the full path, which explains the refusal or returns the stored message.
     */
    async postIfOpen(m: { id: string; conversationId: string; sender: 'visitor' | 'agent'; senderId: string; body: unknown; clientId: string }) {
      const { rows } = await db.execute<PostedRow>(sql`
        insert into messages (id, conversation_id, sender, sender_id, sender_name, body, client_id)
        select ${m.id}, c.id, ${m.sender}, ${m.senderId}, case when ${m.sender} = 'visitor' then v.display_name else a.nickname end,
               ${JSON.stringify(m.body)}::jsonb, ${m.clientId}
        from conversations c
        join visitors v on v.id = c.visitor_id
        left join users a on a.id = c.agent_id
        where c.id = ${m.conversationId} and c.status not in ('rating', 'ended')
          and (case when ${m.sender} = 'visitor' then c.visitor_id::text else c.agent_id::text end) = ${m.senderId}
        on conflict do nothing
        returning seq, id, conversation_id, sender, sender_id, sender_name, body, client_id, created_at,
                  (select status from conversations where id = ${m.conversationId}) as conversation_status`);
      const r = rows[0];
      if (!r) return null;
      const message = toChatMessage({
        seq: Number(r.seq), id: r.id, conversationId: r.conversation_id, sender: r.sender, senderId: r.sender_id, senderName: r.sender_name,
        body: r.body, clientId: r.client_id, createdAt: new Date(r.created_at),
      });
      return { message, status: r.conversation_status };
    },
    /** Inserts a chat message unless its clientId is already stored in the conversation; the new row, if any. */
    async insertMessage(m: { id: string; conversationId: string; sender: 'visitor' | 'agent'; senderId: string; senderName: string | null; body: unknown; clientId: string }) {
      const [row] = await insert.execute(m);
      return row ?? null;
    },
  };
}

type PostedRow = {
  seq: string | number; id: string; conversation_id: string; sender: 'visitor' | 'agent'; sender_id: string | null; sender_name: string | null;
  body: ChatMessage['body']; client_id: string | null; created_at: string | Date; conversation_status: string;
};

/** The transcript; private notes (staff only) only with `withNotes`. */
export async function listMessages(db: Db, conversationId: string, afterSeq = 0, opts: { withNotes?: boolean } = {}): Promise<ChatMessage[]> {
  const rows = await db.select().from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq), ...(opts.withNotes ? [] : [eq(messages.staffOnly, false)])))
    .orderBy(asc(messages.seq));
  return rows.map(toChatMessage);
}

export type ConversationQueries = ReturnType<typeof conversationQueries>;
