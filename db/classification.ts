import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import {
  ClosingSettingsSchema, labelColourFor, type CallReason, type Classification, type ClosingSettings, type Tag,
} from '../domain/classification.js';
import type { Db } from './client.js';
import { callReasons, conversationClassification, conversationTags, conversations, deskSettings, messages, tags, transfers } from './schema.js';

/** Tags, call reasons, a conversation's classification and the desk's closing rules (issue 18). */

const toTag = (r: typeof tags.$inferSelect): Tag => ({ id: r.id, name: r.name, colour: r.colour, labelColour: labelColourFor(r.colour), archived: r.archived });
const toReason = (r: typeof callReasons.$inferSelect): CallReason => ({ id: r.id, name: r.name, archived: r.archived });
/** Unique-violation on the lower(name) index: the caller answers 409. */
export const isDuplicateName = (err: unknown) => (err as { code?: string; cause?: { code?: string } }).code === '23505'
  || (err as { cause?: { code?: string } }).cause?.code === '23505';

export async function listTags(db: Db, opts: { archived?: boolean } = {}): Promise<Tag[]> {
  const rows = await db.select().from(tags).where(opts.archived ? undefined : eq(tags.archived, false)).orderBy(asc(sql`lower(${tags.name})`));
  return rows.map(toTag);
}
export async function createTag(db: Db, input: { name: string; colour: string }): Promise<Tag> {
  const [row] = await db.insert(tags).values(input).returning();
  return toTag(row);
}
export async function updateTag(db: Db, id: string, changes: { name?: string; colour?: string; archived?: boolean }): Promise<Tag | null> {
  const [row] = Object.keys(changes).length
    ? await db.update(tags).set(changes).where(eq(tags.id, id)).returning()
    : await db.select().from(tags).where(eq(tags.id, id));
  return row ? toTag(row) : null;
}

export async function listCallReasons(db: Db, opts: { archived?: boolean } = {}): Promise<CallReason[]> {
  const rows = await db.select().from(callReasons).where(opts.archived ? undefined : eq(callReasons.archived, false)).orderBy(asc(sql`lower(${callReasons.name})`));
  return rows.map(toReason);
}
export async function createCallReason(db: Db, input: { name: string }): Promise<CallReason> {
  const [row] = await db.insert(callReasons).values(input).returning();
  return toReason(row);
}
export async function updateCallReason(db: Db, id: string, changes: { name?: string; archived?: boolean }): Promise<CallReason | null> {
  const [row] = Object.keys(changes).length
    ? await db.update(callReasons).set(changes).where(eq(callReasons.id, id)).returning()
    : await db.select().from(callReasons).where(eq(callReasons.id, id));
  return row ? toReason(row) : null;
}
export async function findTags(db: Db, ids: string[]) {
  return ids.length ? (await db.select().from(tags).where(inArray(tags.id, ids))).map(toTag) : [];
}
export async function findCallReason(db: Db, id: string): Promise<CallReason | null> {
  const [row] = await db.select().from(callReasons).where(eq(callReasons.id, id));
  return row ? toReason(row) : null;
}

export async function loadClassification(db: Db, conversationId: string): Promise<Classification> {
  const [[row], tagRows] = await Promise.all([
    db.select().from(conversationClassification).where(eq(conversationClassification.conversationId, conversationId)),
    db.select({ t: tags }).from(conversationTags).innerJoin(tags, eq(tags.id, conversationTags.tagId))
      .where(eq(conversationTags.conversationId, conversationId)).orderBy(asc(conversationTags.addedAt), asc(tags.name)),
  ]);
  return {
    conversationId,
    tags: tagRows.map((r) => toTag(r.t)),
    callReasonId: row?.callReasonId ?? null,
    remarks: row?.remarks ?? null,
    handledNumber: row?.handledNumber ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** Applies a checked change in one transaction: the fields given (undefined: unchanged) and, with `tagIds`, the whole tag set. */
export async function saveClassification(db: Db, conversationId: string, actorId: string, change: {
  callReasonId?: string | null; remarks?: string | null; handledNumber?: string | null; tagIds?: string[];
}): Promise<void> {
  await db.transaction(async (tx) => {
    const fields = Object.fromEntries(Object.entries({ callReasonId: change.callReasonId, remarks: change.remarks, handledNumber: change.handledNumber })
      .filter(([, v]) => v !== undefined).map(([k, v]) => [k, v === '' ? null : v]));
    await tx.insert(conversationClassification).values({ conversationId, updatedBy: actorId, ...fields })
      .onConflictDoUpdate({ target: conversationClassification.conversationId, set: { ...fields, updatedBy: actorId, updatedAt: new Date() } });
    if (change.tagIds) {
      const keep = [...new Set(change.tagIds)];
      await tx.delete(conversationTags).where(and(eq(conversationTags.conversationId, conversationId),
        ...(keep.length ? [notInArray(conversationTags.tagId, keep)] : [])));
      if (keep.length) await tx.insert(conversationTags).values(keep.map((tagId) => ({ conversationId, tagId, addedBy: actorId }))).onConflictDoNothing();
    }
  });
}

/** What the close rules look at: the number of tags and the call reason. */
export async function closeFacts(db: Db, conversationId: string): Promise<{ tagCount: number; callReasonId: string | null }> {
  const c = await loadClassification(db, conversationId);
  return { tagCount: c.tags.length, callReasonId: c.callReasonId };
}

/**
 * Whether the agent served the conversation: holds it (or held it last), handed it over in a transfer, or
 * wrote in it as its agent. Such agents may classify it during and after the chat.
 */
export async function servedBy(db: Db, userId: string, conversationId: string): Promise<boolean> {
  const { rows } = await db.execute<{ served: boolean }>(sql`
    select exists (select 1 from ${conversations} where id = ${conversationId} and agent_id = ${userId})
        or exists (select 1 from ${transfers} where conversation_id = ${conversationId} and from_agent_id = ${userId})
        or exists (select 1 from ${messages} where conversation_id = ${conversationId} and sender = 'agent' and sender_id = ${userId} and not staff_only)
        as served`);
  return rows[0]?.served === true;
}

const CLOSING_KEY = 'closing';

export async function loadClosingSettings(db: Db): Promise<ClosingSettings> {
  const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, CLOSING_KEY));
  const parsed = ClosingSettingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : ClosingSettingsSchema.parse({});
}

export async function saveClosingSettings(db: Db, settings: ClosingSettings): Promise<void> {
  await db.insert(deskSettings).values({ key: CLOSING_KEY, value: settings })
    .onConflictDoUpdate({ target: deskSettings.key, set: { value: settings, updatedAt: new Date() } });
}
