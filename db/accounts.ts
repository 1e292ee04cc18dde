import { desc, eq, sql } from 'drizzle-orm';
import type { Role, UserProfile } from '../domain/agents.js';
import type { Db } from './client.js';
import { agentStatusLog, teamMembers, users } from './schema.js';

/**
 * Staff accounts (admins and agents): their rows, team memberships and status log. E-mail addresses
 * are stored and looked up in lower case.
 */

export type UserRow = typeof users.$inferSelect;

/** Raising the token version revokes every token issued before (api/auth/middleware.ts). */
const nextTokenVersion = sql`${users.tokenVersion} + 1`;

export async function findUser(db: Db, userId: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user ?? null;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return user ?? null;
}

/** Ids of every account, by nickname. */
export async function listUserIds(db: Db): Promise<string[]> {
  return (await db.select({ id: users.id }).from(users).orderBy(users.nickname)).map((u) => u.id);
}

export async function teamIdsOf(db: Db, userId: string): Promise<string[]> {
  return (await db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId))).map((t) => t.teamId);
}

export const toProfile = (user: UserRow, teamIds: string[]): UserProfile => ({
  id: user.id, email: user.email, nickname: user.nickname, role: user.role, maxConversations: user.maxConversations, teamIds,
});

/** The account as the apps see it (with its teams); null if there is none. */
export async function loadProfile(db: Db, userId: string): Promise<UserProfile | null> {
  const user = await findUser(db, userId);
  return user ? toProfile(user, await teamIdsOf(db, userId)) : null;
}

export async function createUser(
  db: Db, input: { email: string; nickname: string; role: Role; passwordHash: string; maxConversations: number },
): Promise<UserRow> {
  const [user] = await db.insert(users).values({ ...input, email: input.email.toLowerCase() }).returning();
  return user;
}

export interface UserChanges {
  nickname?: string;
  role?: Role;
  maxConversations?: number;
  passwordHash?: string;
  /** Revoke every token issued so far. */
  revokeTokens?: boolean;
}

export async function updateUser(db: Db, userId: string, changes: UserChanges): Promise<void> {
  const { revokeTokens, ...rest } = changes;
  const set = { ...rest, ...(revokeTokens ? { tokenVersion: nextTokenVersion } : {}) };
  if (Object.keys(set).length) await db.update(users).set(set).where(eq(users.id, userId));
}

/** Disables or restores an account, revoking its tokens either way; false if there is no such account. */
export async function setUserDisabled(db: Db, userId: string, disabled: boolean): Promise<boolean> {
  const updated = await db.update(users).set({ disabled, tokenVersion: nextTokenVersion }).where(eq(users.id, userId)).returning({ id: users.id });
  return updated.length > 0;
}

/** Replaces the account's team memberships (the teams must exist). */
export async function setTeamMemberships(db: Db, userId: string, teamIds: string[]): Promise<void> {
  const unique = [...new Set(teamIds)];
  await db.transaction(async (tx) => {
    await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
    if (unique.length) await tx.insert(teamMembers).values(unique.map((teamId) => ({ teamId, userId })));
  });
}

export async function logAgentStatus(db: Db, entry: { agentId: string; status: string; reason: string | null }): Promise<void> {
  await db.insert(agentStatusLog).values({ userId: entry.agentId, status: entry.status, reason: entry.reason });
}

/** Status changes, newest first. */
export async function agentStatusHistory(db: Db, userId: string, limit = 500): Promise<Array<{ status: string; reason: string | null; at: Date }>> {
  return db.select({ status: agentStatusLog.status, reason: agentStatusLog.reason, at: agentStatusLog.at }).from(agentStatusLog)
    .where(eq(agentStatusLog.userId, userId)).orderBy(desc(agentStatusLog.at)).limit(limit);
}
