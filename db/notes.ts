import { and, desc, eq, sql } from 'drizzle-orm';
import type { ChatMessage, MessageBody } from '../domain/messages.js';
import type { Mentionable, NoteMentionEvent } from '../domain/notes.js';
import type { Db } from './client.js';
import { toChatMessage } from './mappers.js';
import { conversations, messages, noteMentions, users, visitors } from './schema.js';

/**
 * Private notes (issue 18): rows of the transcript with `staff_only` set. Their client ids live in their
 * own namespace (`note:<uuid>`), so a visitor's client id can never collide with (or fetch) a note.
 */
export const noteClientId = (clientId: string) => `note:${clientId}`;

/** Stores a note unless its client id is already stored; `isNew` false returns the stored row. */
export async function insertNote(db: Db, n: {
  id: string; conversationId: string; authorId: string; authorName: string; body: Extract<MessageBody, { kind: 'note' }>; clientId: string;
}): Promise<{ message: ChatMessage; isNew: boolean } | null> {
  const clientId = noteClientId(n.clientId);
  const [inserted] = await db.insert(messages).values({
    id: n.id, conversationId: n.conversationId, sender: 'agent', senderId: n.authorId, senderName: n.authorName, body: n.body, clientId, staffOnly: true,
  }).onConflictDoNothing().returning();
  if (inserted) return { message: toChatMessage(inserted), isNew: true };
  const [stored] = await db.select().from(messages).where(and(eq(messages.conversationId, n.conversationId), eq(messages.clientId, clientId)));
  if (!stored || stored.senderId !== n.authorId || !stored.staffOnly) return null;
  return { message: toChatMessage(stored), isNew: false };
}

/** Every enabled staff account, for resolving `@mentions`. */
export async function mentionableStaff(db: Db): Promise<Mentionable[]> {
  return db.select({ id: users.id, nickname: users.nickname, email: users.email }).from(users).where(eq(users.disabled, false));
}

export async function recordMentions(db: Db, messageId: string, conversationId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.insert(noteMentions).values(userIds.map((userId) => ({ messageId, conversationId, userId }))).onConflictDoNothing();
}

/** Whether a note in the conversation mentions the user (which lets them read it: docs/security.md). */
export async function isMentionedIn(db: Db, userId: string, conversationId: string): Promise<boolean> {
  const rows = await db.select({ one: sql`1` }).from(noteMentions)
    .where(and(eq(noteMentions.userId, userId), eq(noteMentions.conversationId, conversationId))).limit(1);
  return rows.length > 0;
}

/** The user's latest mentions, newest first (the workbench shows them again after a reload). */
export async function recentMentions(db: Db, userId: string, limit = 50): Promise<NoteMentionEvent[]> {
  const rows = await db.select({ m: messages, visitorName: visitors.displayName }).from(noteMentions)
    .innerJoin(messages, eq(messages.id, noteMentions.messageId))
    .innerJoin(conversations, eq(conversations.id, noteMentions.conversationId))
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .where(eq(noteMentions.userId, userId)).orderBy(desc(noteMentions.createdAt)).limit(limit);
  return rows.map((r) => mentionEvent(toChatMessage(r.m), r.visitorName));
}

export function mentionEvent(note: ChatMessage, visitorName: string): NoteMentionEvent {
  const text = note.body.kind === 'note' ? note.body.text : '';
  return {
    conversationId: note.conversationId, messageId: note.id, authorName: note.senderName ?? '', visitorName,
    excerpt: text.length <= 140 ? text : `${text.slice(0, 139)}…`, createdAt: note.createdAt,
  };
}
