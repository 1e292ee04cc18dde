import { and, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import {
  BlacklistSettingsSchema, normalizeContact, type BlacklistSettings, type BlockedContact, type BlockedContactKind,
} from '../domain/blacklist.js';
import type { Db } from './client.js';
import { blockedContacts, deskSettings, visitors } from './schema.js';

/** Issue 22: blocked e-mail addresses and phone numbers, and the blacklist's desk setting (desk_settings key `blacklist`). */

const SETTINGS_KEY = 'blacklist';

export async function loadBlacklistSettings(db: Db): Promise<BlacklistSettings> {
  const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, SETTINGS_KEY));
  const parsed = BlacklistSettingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : BlacklistSettingsSchema.parse({});
}

export async function saveBlacklistSettings(db: Db, settings: BlacklistSettings): Promise<void> {
  await db.insert(deskSettings).values({ key: SETTINGS_KEY, value: settings })
    .onConflictDoUpdate({ target: deskSettings.key, set: { value: settings, updatedAt: new Date() } });
}

const toContact = (r: typeof blockedContacts.$inferSelect): BlockedContact => ({
  id: r.id, kind: r.kind, value: r.value, reason: r.reason, actorId: r.actorId, at: r.at.toISOString(),
});

export async function listBlockedContacts(db: Db): Promise<BlockedContact[]> {
  return (await db.select().from(blockedContacts).orderBy(desc(blockedContacts.at), desc(blockedContacts.id))).map(toContact);
}

/** Null when that contact is blocked already. `value` must be valid (normalizeContact). */
export async function addBlockedContact(
  db: Db, input: { kind: BlockedContactKind; value: string; reason: string | null; actorId: string },
): Promise<BlockedContact | null> {
  const value = normalizeContact(input.kind, input.value);
  if (value === null) throw new Error(`invalid ${input.kind}`);
  const [row] = await db.insert(blockedContacts).values({ ...input, value }).onConflictDoNothing().returning();
  return row ? toContact(row) : null;
}

export async function removeBlockedContact(db: Db, id: number): Promise<boolean> {
  return (await db.delete(blockedContacts).where(eq(blockedContacts.id, id)).returning({ id: blockedContacts.id })).length > 0;
}

/** Whether the visitor's e-mail or phone is blocked. */
export async function contactBlocked(db: Db, visitor: { email: string | null; phone: string | null }): Promise<boolean> {
  const email = visitor.email ? normalizeContact('email', visitor.email) : null;
  const phone = visitor.phone ? normalizeContact('phone', visitor.phone) : null;
  const tests: SQL[] = [];
  if (email) tests.push(and(eq(blockedContacts.kind, 'email'), eq(blockedContacts.value, email))!);
  if (phone) tests.push(and(eq(blockedContacts.kind, 'phone'), eq(blockedContacts.value, phone))!);
  if (tests.length === 0) return false;
  const [hit] = await db.select({ id: blockedContacts.id }).from(blockedContacts).where(or(...tests)).limit(1);
  return Boolean(hit);
}

/** The visitors who gave this (normalized) contact, compared in the same normal form. */
export async function visitorsWithContact(db: Db, kind: BlockedContactKind, value: string): Promise<string[]> {
  const column = kind === 'email'
    ? sql`lower(trim(${visitors.email}))`
    : sql`regexp_replace(${visitors.phone}, '[[:space:]()./-]', '', 'g')`;
  return (await db.select({ id: visitors.id }).from(visitors).where(sql`${column} = ${value}`)).map((r) => r.id);
}
