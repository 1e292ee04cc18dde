import { eq, sql } from 'drizzle-orm';
import { AssignmentStrategySchema, type AssignmentStrategy } from '../domain/routing.js';
import type { Db } from './client.js';
import { teamMembers, teams } from './schema.js';

/** Teams (skill groups) and their members. */

export interface Team {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  memberIds: string[];
}

export type TeamRow = typeof teams.$inferSelect;

export async function findTeamRow(db: Db, teamId: string): Promise<TeamRow | null> {
  const [team] = await db.select().from(teams).where(eq(teams.id, teamId));
  return team ?? null;
}

export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  return (await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId))).length > 0;
}

export async function teamMemberIds(db: Db, teamId: string): Promise<string[]> {
  return (await db.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId))).map((m) => m.userId);
}

/** The team with its members; null if there is none. */
export async function findTeam(db: Db, teamId: string): Promise<Team | null> {
  const team = await findTeamRow(db, teamId);
  if (!team) return null;
  return { id: team.id, name: team.name, strategy: AssignmentStrategySchema.parse(team.strategy), memberIds: await teamMemberIds(db, teamId) };
}

/** Ids of every team, by name. */
export async function listTeamIds(db: Db): Promise<string[]> {
  return (await db.select({ id: teams.id }).from(teams).orderBy(teams.name)).map((t) => t.id);
}

/** False if a team with this id or name exists already. */
export async function createTeam(db: Db, input: { id: string; name: string; strategy: AssignmentStrategy }): Promise<boolean> {
  const inserted = await db.insert(teams).values(input).onConflictDoNothing().returning({ id: teams.id });
  return inserted.length > 0;
}

/** Throws if another team has the new name (unique). */
export async function updateTeam(db: Db, teamId: string, changes: { name?: string; strategy?: AssignmentStrategy }): Promise<void> {
  await db.update(teams).set(changes).where(eq(teams.id, teamId));
}

export async function countTeamMembers(db: Db, teamId: string): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(teamMembers).where(eq(teamMembers.teamId, teamId));
  return n;
}

export async function deleteTeam(db: Db, teamId: string): Promise<void> {
  await db.delete(teams).where(eq(teams.id, teamId));
}
