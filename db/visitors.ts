import { desc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { blacklistLog, visitors } from './schema.js';

/** Visitors and their blacklist (every block and unblock is logged with its reason and actor). */

export type VisitorRow = typeof visitors.$inferSelect;
export type BlacklistEntry = typeof blacklistLog.$inferSelect;

export async function findVisitor(db: Db, visitorId: string): Promise<VisitorRow | null> {
  const [visitor] = await db.select().from(visitors).where(eq(visitors.id, visitorId));
  return visitor ?? null;
}

export async function createVisitor(db: Db, input: { id: string; displayName: string }): Promise<void> {
  await db.insert(visitors).values(input);
}

export async function renameVisitor(db: Db, visitorId: string, displayName: string): Promise<void> {
  await db.update(visitors).set({ displayName }).where(eq(visitors.id, visitorId));
}

/** Blocks or unblocks the visitor and logs it, in one transaction. */
export async function setVisitorBlocked(db: Db, visitorId: string, entry: { action: 'block' | 'unblock'; reason: string | null; actorId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(visitors).set({ blocked: entry.action === 'block' }).where(eq(visitors.id, visitorId));
    await tx.insert(blacklistLog).values({ visitorId, ...entry });
  });
}

/** The visitor's blacklist log, newest first. */
export async function blacklistLogOf(db: Db, visitorId: string): Promise<BlacklistEntry[]> {
  return db.select().from(blacklistLog).where(eq(blacklistLog.visitorId, visitorId)).orderBy(desc(blacklistLog.at), desc(blacklistLog.id));
}
