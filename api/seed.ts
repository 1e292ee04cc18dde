import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { flows, flowVersions, teamMembers, teams, users } from '../db/schema.js';
import { DEFAULT_FLOW } from '../domain/flow/default-flow.js';
import type { FlowDefinitionInput } from '../domain/flow/schema.js';
import { hashPassword } from './auth/passwords.js';

export interface SeededAccount { email: string; password: string; role: 'admin' | 'agent' }

const password = () => randomBytes(9).toString('base64url');

/**
 * An empty database gets an admin, two agents in a "support" team and the default flow for the web
 * channel. Returns the generated credentials (to print once), or [] when the desk already has users.
 */
export async function seedIfEmpty(db: Db, fixedPassword?: string, defaultFlow: FlowDefinitionInput = DEFAULT_FLOW): Promise<SeededAccount[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727274)`); // two API processes starting at once seed once
    const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    if (count > 0) return [];
    const accounts: SeededAccount[] = [
      { email: 'admin@parley.local', password: fixedPassword ?? password(), role: 'admin' },
      { email: 'alice@parley.local', password: fixedPassword ?? password(), role: 'agent' },
      { email: 'bob@parley.local', password: fixedPassword ?? password(), role: 'agent' },
    ];
    const nick = { 'admin@parley.local': 'Admin', 'alice@parley.local': 'Alice', 'bob@parley.local': 'Bob' } as Record<string, string>;
    const created = await tx.insert(users).values(await Promise.all(accounts.map(async (a) => ({
      email: a.email, nickname: nick[a.email], role: a.role, passwordHash: await hashPassword(a.password),
    })))).returning();
    await tx.insert(teams).values({ id: 'support', name: 'Support' }).onConflictDoNothing();
    await tx.insert(teamMembers).values(created.map((u) => ({ teamId: 'support', userId: u.id })));
    await tx.insert(flows).values({ id: 'default', name: 'Default web flow', channel: 'web', draft: defaultFlow }).onConflictDoNothing();
    await tx.insert(flowVersions).values({ flowId: 'default', version: 1, definition: defaultFlow }).onConflictDoNothing();
    return accounts;
  });
}
