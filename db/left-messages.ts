import { and, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { LeaveMessageReason, LeftMessage, LeftMessageFilter } from '../domain/left-messages.js';
import type { Db } from './client.js';
import { leftMessages, messages, users } from './schema.js';

/** Issue 19: messages visitors left when nobody could answer, and staff marking them handled. */

/** The open leave-a-message offer of a conversation (its latest `leave-message` body), or null. */
export async function leaveMessageOffer(db: Db, conversationId: string): Promise<{ reason: LeaveMessageReason } | null> {
  const [row] = await db.select({ reason: sql<LeaveMessageReason>`${messages.body}->>'reason'` }).from(messages)
    .where(and(eq(messages.conversationId, conversationId), sql`${messages.body}->>'kind' = 'leave-message'`))
    .orderBy(desc(messages.seq)).limit(1);
  return row ?? null;
}

export interface NewLeftMessage {
  id: string; conversationId: string; visitorId: string; channel: string; reason: LeaveMessageReason;
  name: string; email: string | null; phone: string | null; message: string;
}

/** Stores it unless the conversation has one already; returns the stored row (`isNew` false: the earlier one). */
export async function insertLeftMessage(db: Db, m: NewLeftMessage): Promise<{ id: string; isNew: boolean }> {
  const [inserted] = await db.insert(leftMessages).values(m).onConflictDoNothing({ target: leftMessages.conversationId }).returning({ id: leftMessages.id });
  if (inserted) return { id: inserted.id, isNew: true };
  const [stored] = await db.select({ id: leftMessages.id }).from(leftMessages).where(eq(leftMessages.conversationId, m.conversationId));
  return { id: stored.id, isNew: false };
}

const columns = {
  id: leftMessages.id, conversationId: leftMessages.conversationId, visitorId: leftMessages.visitorId, channel: leftMessages.channel,
  reason: leftMessages.reason, name: leftMessages.name, email: leftMessages.email, phone: leftMessages.phone, message: leftMessages.message,
  createdAt: leftMessages.createdAt, handledAt: leftMessages.handledAt, handledBy: leftMessages.handledBy, handledByName: users.nickname,
};

function toLeftMessage(r: { createdAt: Date; handledAt: Date | null } & Omit<LeftMessage, 'createdAt' | 'handledAt'>): LeftMessage {
  return { ...r, createdAt: r.createdAt.toISOString(), handledAt: r.handledAt?.toISOString() ?? null };
}

/** Newest first; `open`: not handled yet. */
export async function listLeftMessages(db: Db, filter: LeftMessageFilter, limit: number): Promise<LeftMessage[]> {
  const where: SQL | undefined = filter === 'open' ? isNull(leftMessages.handledAt) : filter === 'handled' ? isNotNull(leftMessages.handledAt) : undefined;
  const rows = await db.select(columns).from(leftMessages).leftJoin(users, eq(users.id, leftMessages.handledBy))
    .where(where).orderBy(desc(leftMessages.createdAt), desc(leftMessages.id)).limit(limit);
  return rows.map(toLeftMessage);
}

export async function findLeftMessage(db: Db, id: string): Promise<LeftMessage | null> {
  const [row] = await db.select(columns).from(leftMessages).leftJoin(users, eq(users.id, leftMessages.handledBy)).where(eq(leftMessages.id, id));
  return row ? toLeftMessage(row) : null;
}

/** Marks it handled by `userId` (or open again); a message already in that state keeps who handled it first. */
export async function setLeftMessageHandled(db: Db, id: string, userId: string, handled: boolean): Promise<boolean> {
  const rows = await db.update(leftMessages)
    .set(handled ? { handledAt: sql`coalesce(${leftMessages.handledAt}, now())`, handledBy: sql`coalesce(${leftMessages.handledBy}, ${userId}::uuid)` } : { handledAt: null, handledBy: null })
    .where(eq(leftMessages.id, id)).returning({ id: leftMessages.id });
  return rows.length > 0;
}
