import { and, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { fileBlobs, files, messages } from './schema.js';
import type { MessageBody } from '../domain/messages.js';

export type FileRow = typeof files.$inferSelect;

/** Stores one object of the database file storage; an existing key keeps its bytes (objects are immutable). */
export async function putBlob(db: Db, blob: { key: string; data: Buffer; contentType: string; size: number }): Promise<void> {
  await db.insert(fileBlobs).values(blob).onConflictDoNothing();
}

export async function readBlob(db: Db, key: string) {
  const [row] = await db.select().from(fileBlobs).where(eq(fileBlobs.key, key));
  return row ?? null;
}

export async function headBlob(db: Db, key: string) {
  const [row] = await db.select({ contentType: fileBlobs.contentType, size: fileBlobs.size }).from(fileBlobs).where(eq(fileBlobs.key, key));
  return row ?? null;
}

export async function deleteBlob(db: Db, key: string): Promise<void> {
  await db.delete(fileBlobs).where(eq(fileBlobs.key, key));
}

export async function findFile(db: Db, id: string): Promise<FileRow | null> {
  const [row] = await db.select().from(files).where(eq(files.id, id));
  return row ?? null;
}

/**
 * Records the file and its `file` message in one transaction. Returns null (and records nothing) when
 * the conversation already has a message with this clientId: a retried or concurrent upload.
 */
export async function insertFileMessage(db: Db, file: typeof files.$inferInsert, message: {
  id: string; sender: 'visitor' | 'agent'; senderId: string; senderName: string | null; body: MessageBody; clientId: string;
}) {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(messages).values({ ...message, conversationId: file.conversationId }).onConflictDoNothing().returning();
    if (!row) return null;
    await tx.insert(files).values(file);
    return row;
  });
}

/** The message a clientId already names in the conversation, if any. */
export async function messageByClientId(db: Db, conversationId: string, clientId: string) {
  const [row] = await db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, clientId)));
  return row ?? null;
}
