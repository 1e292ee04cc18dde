import { and, eq, sql } from 'drizzle-orm';
import type { IdentityStatus } from '../domain/widget.js';
import type { Db } from './client.js';
import { blacklistLog, conversations, visitorProfileAudit, visitors } from './schema.js';

/** Issue 19: visitors identified by a site (Parley.identify), and merging an anonymous visitor into an identified one. */

export type VisitorRow = typeof visitors.$inferSelect;

export interface IdentityProfile {
  displayName?: string;
  email?: string;
  phone?: string;
  attributes?: Record<string, string>;
}

/** The verified visitor of (channel, external id), if any. */
export async function verifiedVisitor(db: Db, channel: string, externalId: string): Promise<VisitorRow | null> {
  const [row] = await db.select().from(visitors)
    .where(and(eq(visitors.identity, 'verified'), eq(visitors.identityChannel, channel), eq(visitors.externalId, externalId)));
  return row ?? null;
}

/** Sets the visitor's identity and the profile fields the site sent (attributes merged over the stored ones). */
export async function setIdentity(
  db: Db, visitorId: string, identity: { status: IdentityStatus; channel: string; externalId: string }, profile: IdentityProfile,
): Promise<void> {
  await db.update(visitors).set({
    identity: identity.status, identityChannel: identity.channel, externalId: identity.externalId,
    ...(profile.displayName ? { displayName: profile.displayName } : {}),
    ...(profile.email ? { email: profile.email } : {}),
    ...(profile.phone ? { phone: profile.phone } : {}),
    ...(profile.attributes && Object.keys(profile.attributes).length ? { attributes: sql`${visitors.attributes} || ${JSON.stringify(profile.attributes)}::jsonb` } : {}),
  }).where(eq(visitors.id, visitorId));
}

/** Merges the site's attributes over the visitor's stored ones (Parley.setAttributes). */
export async function mergeAttributes(db: Db, visitorId: string, attributes: Record<string, string>): Promise<void> {
  await db.update(visitors).set({ attributes: sql`${visitors.attributes} || ${JSON.stringify(attributes)}::jsonb` }).where(eq(visitors.id, visitorId));
}

/**
 * Moves everything of the anonymous visitor `from` (conversations, profile audit, blacklist log) to the
 * identified visitor `into`, in one transaction; returns how many conversations moved. A blocked `from`
 * makes `into` blocked too, so logging in never lifts a block.
 */
export async function mergeVisitorInto(db: Db, from: string, into: string): Promise<number> {
  if (from === into) return 0;
  return db.transaction(async (tx) => {
    const [source] = await tx.select().from(visitors).where(eq(visitors.id, from)).for('update');
    if (!source || source.identity === 'verified') return 0;
    const moved = await tx.update(conversations).set({ visitorId: into }).where(eq(conversations.visitorId, from)).returning({ id: conversations.id });
    await tx.update(visitorProfileAudit).set({ visitorId: into }).where(eq(visitorProfileAudit.visitorId, from));
    await tx.update(blacklistLog).set({ visitorId: into }).where(eq(blacklistLog.visitorId, from));
    if (source.blocked) await tx.update(visitors).set({ blocked: true }).where(eq(visitors.id, into));
    return moved.length;
  });
}
