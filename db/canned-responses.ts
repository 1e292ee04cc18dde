import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { DEFAULT_ADDRESS } from '../domain/canned/expand.js';
import { CannedSettingsSchema, type CannedFields, type CannedScope, type CannedSettings } from '../domain/canned/schema.js';
import type { CannedResponse } from '../domain/contracts/rest.js';
import type { Db } from './client.js';
import { cannedResponses, deskSettings } from './schema.js';

/** Canned responses: the organisation's (owner null) and each staff member's own, and the organisation's default address. */

export type CannedRow = typeof cannedResponses.$inferSelect;

/** A shortcut already used in the scope (unique index), or the scope is full. */
export class CannedConflictError extends Error {}

export function toCannedResponse(row: CannedRow): CannedResponse {
  return {
    id: row.id, scope: row.ownerId ? 'personal' : 'org', shortcut: row.shortcut, title: row.title, text: row.text, category: row.category,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The owner column of a scope: null for the organisation, the staff member for personal ones. */
const ownerOf = (scope: CannedScope, userId: string) => (scope === 'org' ? null : userId);
const inScope = (ownerId: string | null): SQL => (ownerId ? eq(cannedResponses.ownerId, ownerId) : isNull(cannedResponses.ownerId));

/** The `search` column: title and category in lower case (a lookup's `q` is lowered the same way). */
const searchOf = (title: string, category: string | null | undefined) => `${title}\n${category ?? ''}`.toLowerCase();

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Shortcuts in byte order: the same in every database, and what the lookup indexes hold. */
const byteOrder = sql`(${cannedResponses.shortcut} collate "C")`;

function isUniqueViolation(err: unknown): boolean {
  return [err, (err as { cause?: unknown })?.cause].some((e) => (e as { code?: string })?.code === '23505');
}

export interface CannedQuery {
  /** The caller: personal responses are only ever theirs. */
  userId: string;
  scopes: readonly CannedScope[];
  /** Matches a shortcut by its start, a title or category anywhere; case-insensitive. */
  q?: string;
  limit: number;
}

/**
 * Responses matching a query, best first: the exact shortcut, shortcuts starting with it, then titles
 * and categories containing it; personal before the organisation's, then by shortcut.
 */
export async function searchCanned(db: Db, query: CannedQuery): Promise<{ rows: CannedRow[]; total: number }> {
  const scope = or(...query.scopes.map((s) => inScope(ownerOf(s, query.userId))))!;
  const q = query.q?.trim().toLowerCase() ?? '';
  // Plain string functions, no LIKE patterns: nothing in `q` is a wildcard, and they cost a fraction of ILIKE (docs/performance.md).
  const prefix = sql`starts_with(${cannedResponses.shortcut}, ${q})`;
  const where = q ? and(scope, or(prefix, sql`strpos(${cannedResponses.search}, ${q}) > 0`)) : scope;
  const rows = await db.select({ row: cannedResponses, total: sql<number>`count(*) over ()`.mapWith(Number) }).from(cannedResponses).where(where)
    .orderBy(
      ...(q ? [desc(sql`${cannedResponses.shortcut} = ${q}`), desc(prefix)] : []),
      desc(sql`${cannedResponses.ownerId} is not null`), byteOrder,
    )
    .limit(query.limit);
  return { rows: rows.map((r) => r.row), total: rows[0]?.total ?? 0 };
}

/**
 * The composer's lookup, built to read few rows however long the lists are: first the shortcuts starting
 * with `q` (the exact one sorts first), the caller's then the organisation's, each a range of its
 * partial index in byte order; only if those do not fill `limit`, titles and categories containing `q`.
 */
export async function lookupCanned(db: Db, input: { userId: string; q: string; limit: number }): Promise<CannedRow[]> {
  const q = input.q.trim().toLowerCase();
  const prefix = (ownerId: string | null, limit: number) => db.select().from(cannedResponses)
    .where(q ? and(inScope(ownerId), sql`${byteOrder} like ${`${likeEscape(q)}%`}`) : inScope(ownerId))
    .orderBy(byteOrder).limit(limit);
  const [mine, org] = await Promise.all([prefix(input.userId, input.limit), prefix(null, input.limit)]);
  const found = [...mine, ...org].slice(0, input.limit);
  if (!q || found.length >= input.limit) return found;
  // Each list in its index's order, stopping at the rows still wanted: a common word ends the scan early.
  const containing = (ownerId: string | null, limit: number) => db.select().from(cannedResponses)
    .where(and(inScope(ownerId), sql`strpos(${cannedResponses.search}, ${q}) > 0`, sql`not starts_with(${cannedResponses.shortcut}, ${q})`))
    .orderBy(byteOrder).limit(limit);
  const wanted = input.limit - found.length;
  const [mineToo, orgToo] = await Promise.all([containing(input.userId, wanted), containing(null, wanted)]);
  return [...found, ...mineToo, ...orgToo].slice(0, input.limit);
}

/** What the composer's lookup needs besides the matches: the caller's nickname and the default address, in one query. */
export async function lookupContext(db: Db, userId: string): Promise<{ nickname: string; settings: CannedSettings }> {
  const { rows } = await db.execute<{ nickname: string | null; settings: unknown }>(sql`
    select (select nickname from users where id = ${userId}) as nickname,
           (select value from desk_settings where key = ${SETTINGS_KEY}) as settings`);
  const parsed = CannedSettingsSchema.safeParse(rows[0]?.settings ?? {});
  return { nickname: rows[0]?.nickname ?? '', settings: parsed.success ? parsed.data : { defaultAddress: DEFAULT_ADDRESS } };
}

export async function findCanned(db: Db, id: string): Promise<CannedRow | null> {
  const [row] = await db.select().from(cannedResponses).where(eq(cannedResponses.id, id));
  return row ?? null;
}

export async function countCanned(db: Pick<Db, 'select'>, ownerId: string | null): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(cannedResponses).where(inScope(ownerId));
  return n;
}

/** Every response of a scope, by category then shortcut (the CSV export). */
export async function listCannedInScope(db: Db, ownerId: string | null): Promise<CannedRow[]> {
  return db.select().from(cannedResponses).where(inScope(ownerId))
    .orderBy(sql`${cannedResponses.category} asc nulls first`, byteOrder);
}

const fieldsOf = (f: CannedFields) => ({
  shortcut: f.shortcut, title: f.title, text: f.text, category: f.category || null, search: searchOf(f.title, f.category),
});

/** Throws CannedConflictError when the shortcut is taken in the scope or the scope already has `max` responses. */
export async function createCanned(db: Db, ownerId: string | null, fields: CannedFields, max: number): Promise<CannedRow> {
  try {
    return await db.transaction(async (tx) => {
      // One creator at a time per scope, so two concurrent creates cannot both pass the count.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`canned:${ownerId ?? 'org'}`}))`);
      if ((await countCanned(tx, ownerId)) >= max) throw new CannedConflictError(`This list already has ${max} canned responses, the most it may hold`);
      const [row] = await tx.insert(cannedResponses).values({ ownerId, ...fieldsOf(fields) }).returning();
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new CannedConflictError(`The shortcut /${fields.shortcut} is already used in this list`);
    throw err;
  }
}

/** Throws CannedConflictError when the new shortcut is taken in the scope. */
export async function updateCanned(db: Db, row: CannedRow, changes: Partial<CannedFields>): Promise<CannedRow> {
  const category = changes.category !== undefined ? changes.category || null : row.category;
  const set = { ...changes, category, search: searchOf(changes.title ?? row.title, category), updatedAt: new Date() };
  try {
    const [updated] = await db.update(cannedResponses).set(set).where(eq(cannedResponses.id, row.id)).returning();
    return updated;
  } catch (err) {
    if (isUniqueViolation(err)) throw new CannedConflictError(`The shortcut /${changes.shortcut} is already used in this list`);
    throw err;
  }
}

export async function deleteCanned(db: Db, id: string): Promise<void> {
  await db.delete(cannedResponses).where(eq(cannedResponses.id, id));
}

/**
 * Adds or updates (by shortcut) every row in one transaction: all or nothing. Throws CannedConflictError,
 * changing nothing, when the scope would hold more than `max` responses.
 */
export async function importCanned(db: Db, ownerId: string | null, rows: CannedFields[], max: number): Promise<{ created: number; updated: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`canned:${ownerId ?? 'org'}`}))`);
    let created = 0;
    const now = new Date();
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500).map((f) => ({ ownerId, ...fieldsOf(f), updatedAt: now }));
      const done = await tx.insert(cannedResponses).values(batch)
        .onConflictDoUpdate({
          target: ownerId ? [cannedResponses.ownerId, cannedResponses.shortcut] : [cannedResponses.shortcut],
          targetWhere: ownerId ? sql`${cannedResponses.ownerId} is not null` : sql`${cannedResponses.ownerId} is null`,
          set: { title: sql`excluded.title`, text: sql`excluded.text`, category: sql`excluded.category`, search: sql`excluded.search`, updatedAt: now },
        })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      created += done.filter((d) => d.inserted).length;
    }
    const total = await countCanned(tx, ownerId);
    if (total > max) {
      throw new CannedConflictError(`The import would make ${total} canned responses in this list, more than the ${max} it may hold; nothing was imported`);
    }
    return { created, updated: rows.length - created };
  });
}

const SETTINGS_KEY = 'canned';

export async function loadCannedSettings(db: Db): Promise<CannedSettings> {
  const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, SETTINGS_KEY));
  const parsed = CannedSettingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : { defaultAddress: DEFAULT_ADDRESS };
}

export async function saveCannedSettings(db: Db, settings: CannedSettings): Promise<void> {
  await db.insert(deskSettings).values({ key: SETTINGS_KEY, value: settings })
    .onConflictDoUpdate({ target: deskSettings.key, set: { value: settings, updatedAt: new Date() } });
}
