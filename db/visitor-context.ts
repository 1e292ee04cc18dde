import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { PROFILE_LIMITS, type PageView, type ProfileAuditEntry, type VisitorProfile } from '../domain/visitor-context.js';
import type { Db } from './client.js';
import { conversationOrigins, conversationPageViews, conversations, users, visitorProfileAudit, visitors } from './schema.js';

/** The visitor in context (issue 18): profiles with their audit, where a conversation started, its pages viewed. */

export type OriginRow = typeof conversationOrigins.$inferSelect;
type OriginInput = Omit<typeof conversationOrigins.$inferInsert, 'createdAt'>;

/** One field's change, as the audit stores it. */
export interface ProfileChange { field: string; oldValue: string | null; newValue: string | null }

const toProfile = (v: typeof visitors.$inferSelect): VisitorProfile => ({
  visitorId: v.id, displayName: v.displayName, email: v.email, phone: v.phone, company: v.company, attributes: v.attributes, vip: v.vip,
  identity: { status: v.identity, externalId: v.externalId, channel: v.identityChannel },
});

export async function visitorProfile(db: Db, visitorId: string): Promise<VisitorProfile | null> {
  const [v] = await db.select().from(visitors).where(eq(visitors.id, visitorId));
  return v ? toProfile(v) : null;
}

/**
 * Applies a profile change computed from the row read under `FOR UPDATE` (so two edits never audit the
 * same old value twice) and audits every changed field, in one transaction. `change` returns the new
 * columns and the audit entries; it may throw to refuse, and then nothing is written.
 */
export async function updateVisitorProfile(db: Db, visitorId: string, actorId: string,
    change: (current: VisitorProfile) => { set: Partial<typeof visitors.$inferInsert>; changes: ProfileChange[] }): Promise<VisitorProfile | null> {
  return db.transaction(async (tx) => {
    const [v] = await tx.select().from(visitors).where(eq(visitors.id, visitorId)).for('update');
    if (!v) return null;
    const current = toProfile(v);
    const { set, changes } = change(current);
    if (changes.length === 0) return current;
    await tx.update(visitors).set(set).where(eq(visitors.id, visitorId));
    await tx.insert(visitorProfileAudit).values(changes.map((c) => ({ visitorId, actorId, ...c })));
    return { ...current, ...(set as Partial<VisitorProfile>) };
  });
}

/** The newest audit entries of a visitor's profile, with the actor's name. */
export async function profileAudit(db: Db, visitorId: string, limit: number = PROFILE_LIMITS.audit): Promise<ProfileAuditEntry[]> {
  const rows = await db.select({
    id: visitorProfileAudit.id, field: visitorProfileAudit.field, oldValue: visitorProfileAudit.oldValue, newValue: visitorProfileAudit.newValue,
    actorId: visitorProfileAudit.actorId, actorName: users.nickname, at: visitorProfileAudit.at,
  }).from(visitorProfileAudit).leftJoin(users, eq(users.id, visitorProfileAudit.actorId))
    .where(eq(visitorProfileAudit.visitorId, visitorId)).orderBy(desc(visitorProfileAudit.at), desc(visitorProfileAudit.id)).limit(limit);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/** Keeps the first report of where a conversation started (a retried start does not overwrite it). */
export async function recordOrigin(db: Db, origin: OriginInput): Promise<void> {
  await db.insert(conversationOrigins).values(origin).onConflictDoNothing();
}

export async function originOf(db: Db, conversationId: string): Promise<OriginRow | null> {
  const [row] = await db.select().from(conversationOrigins).where(eq(conversationOrigins.conversationId, conversationId));
  return row ?? null;
}

export async function flowVarsOf(db: Db, conversationId: string): Promise<Record<string, string>> {
  const [row] = await db.select({ vars: conversations.flowVars }).from(conversations).where(eq(conversations.id, conversationId));
  return row?.vars ?? {};
}

/** Stores a page view and drops the conversation's views beyond the newest PROFILE_LIMITS.journey. */
export async function addPageView(db: Db, view: { conversationId: string; url: string; title: string | null; at: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    // Serialises views of one conversation, so the trim below never races another insert.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`page-views:${view.conversationId}`}))`);
    await tx.insert(conversationPageViews).values(view);
    const keep = tx.select({ id: conversationPageViews.id }).from(conversationPageViews)
      .where(eq(conversationPageViews.conversationId, view.conversationId)).orderBy(desc(conversationPageViews.id)).limit(PROFILE_LIMITS.journey);
    const [oldestKept] = await tx.select({ id: sql<number>`min(k.id)`.mapWith(Number) }).from(keep.as('k'));
    if (oldestKept?.id) {
      await tx.delete(conversationPageViews)
        .where(and(eq(conversationPageViews.conversationId, view.conversationId), lt(conversationPageViews.id, oldestKept.id)));
    }
  });
}

/** The conversation's page views, oldest first. */
export async function journeyOf(db: Db, conversationId: string): Promise<PageView[]> {
  const rows = await db.select().from(conversationPageViews).where(eq(conversationPageViews.conversationId, conversationId))
    .orderBy(conversationPageViews.id).limit(PROFILE_LIMITS.journey);
  return rows.map((r) => ({ url: r.url, title: r.title, at: r.at.toISOString() }));
}

/** Conversations of a visitor and who serves (or served) them: the profile's access rule reads this. */
export async function conversationsOfVisitor(db: Db, visitorId: string, statuses?: string[]) {
  return db.select({ id: conversations.id, agentId: conversations.agentId, status: conversations.status }).from(conversations)
    .where(and(eq(conversations.visitorId, visitorId), statuses ? inArray(conversations.status, statuses) : undefined));
}
