import { Router } from 'express';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { agentStatusLog, teamMembers, teams, users } from '../../db/schema.js';
import { loadDispatcherSettings } from '../../db/settings.js';
import { AgentStatusSchema, EmailSchema, RoleSchema } from '../../shared/agents.js';
import { rooms } from '../../shared/events.js';
import { hashPassword } from '../auth/passwords.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import type { DisabledAgents } from '../services/disabled-agents.js';
import type { AgentPresence, PresenceService } from '../services/presence.js';
import { revokeStaffSockets } from '../socket/revocation.js';
import { loadProfile, UserProfileSchema } from './auth.js';

const AgentId = z.object({ id: z.uuid({ error: 'id must be an agent id (UUID)' }) });
const MaxConversations = z.number().int().min(0).max(100);
const TeamIds = z.array(z.string().min(1).max(64)).max(50);
const AgentWithStatus = UserProfileSchema.extend({ status: AgentStatusSchema, load: z.number().int(), disabled: z.boolean() });
/** `desk`: whether the desk (dispatcher workflow) has put the account offline yet; `pending` while Temporal is unreachable, caught up later. */
const DisableResult = AgentWithStatus.extend({ desk: z.enum(['updated', 'pending']) });

export function agentRoutes(ctx: ApiContext, { presence, disabledAgents }: { presence: PresenceService; disabledAgents: DisabledAgents }): Router {
  const router = Router();
  const { db } = ctx.database;
  /** Raising the token version revokes every token issued before (api/auth/middleware.ts). */
  const nextTokenVersion = sql`${users.tokenVersion} + 1`;

  async function setTeams(userId: string, teamIds: string[]) {
    const unique = [...new Set(teamIds)];
    for (const id of unique) {
      const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, id));
      if (!team) throw notFound(`Team "${id}"`);
    }
    await db.transaction(async (tx) => {
      await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
      if (unique.length) await tx.insert(teamMembers).values(unique.map((teamId) => ({ teamId, userId })));
    });
  }

  /**
   * `live`: the agent's presence when the caller has it (a list reads all at once; a route that just
   * changed the agent passes the dispatcher's answer, which the projection may not show yet).
   */
  async function withStatus(userId: string, live?: Pick<AgentPresence, 'status' | 'conversationIds'> | null) {
    const [user] = await db.select({ disabled: users.disabled }).from(users).where(eq(users.id, userId));
    if (live === undefined) live = await presence.current(userId);
    return { ...(await loadProfile(ctx, userId)), status: live?.status ?? 'offline', load: live?.conversationIds.length ?? 0, disabled: user?.disabled ?? false };
  }

  route(router, {
    method: 'get', path: '/api/agents', operationId: 'listAgents', summary: 'Agents with live status and load', tag: 'agents', access: 'staff',
    response: z.object({ agents: z.array(AgentWithStatus) }),
  }, async () => {
    const all = await db.select({ id: users.id }).from(users).orderBy(users.nickname);
    const known = await presence.all();
    return { agents: await Promise.all(all.map((u) => withStatus(u.id, known.get(u.id) ?? null))) };
  });

  route(router, {
    method: 'post', path: '/api/agents', operationId: 'createAgent', notFound: 'A team in teamIds does not exist', conflict: 'an account with this email already exists', summary: 'Create an agent or admin', tag: 'agents', access: 'admin', status: 201,
    body: z.object({
      email: EmailSchema, nickname: z.string().trim().min(1).max(80), role: RoleSchema.default('agent'),
      password: z.string().min(10, 'password must have at least 10 characters').max(200), maxConversations: MaxConversations.default(3), teamIds: TeamIds.default([]),
    }).strict(),
    response: AgentWithStatus,
  }, async ({ body }) => {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, body.email.toLowerCase()));
    if (existing) throw conflict('An account with this email already exists');
    for (const id of body.teamIds) {
      const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, id));
      if (!team) throw notFound(`Team "${id}"`);
    }
    const [user] = await db.insert(users).values({
      email: body.email.toLowerCase(), nickname: body.nickname, role: body.role, passwordHash: await hashPassword(body.password),
      maxConversations: body.maxConversations,
    }).returning();
    await setTeams(user.id, body.teamIds);
    return withStatus(user.id);
  });

  route(router, {
    method: 'patch', path: '/api/agents/:id', operationId: 'updateAgent', notFound: 'No such agent, or a team in teamIds does not exist', summary: 'Change an agent (nickname, role, limit, teams, password)', tag: 'agents', access: 'admin',
    params: AgentId,
    body: z.object({
      nickname: z.string().trim().min(1).max(80).optional(), role: RoleSchema.optional(), maxConversations: MaxConversations.optional(),
      teamIds: TeamIds.optional(), password: z.string().min(10).max(200).optional(),
    }).strict(),
    response: AgentWithStatus,
  }, async ({ params, body }) => {
    const [user] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, params.id));
    if (!user) throw notFound('Agent');
    if (body.teamIds) await setTeams(params.id, body.teamIds);
    // A new password or role ends every session of the account: its tokens and its open sockets.
    const revokes = Boolean(body.password) || (body.role !== undefined && body.role !== user.role);
    const changes = {
      ...(body.nickname ? { nickname: body.nickname } : {}), ...(body.role ? { role: body.role } : {}),
      ...(body.maxConversations !== undefined ? { maxConversations: body.maxConversations } : {}),
      ...(body.password ? { passwordHash: await hashPassword(body.password) } : {}),
      ...(revokes ? { tokenVersion: nextTokenVersion } : {}),
    };
    if (Object.keys(changes).length) await db.update(users).set(changes).where(eq(users.id, params.id));
    if (revokes) await revokeStaffSockets(ctx.io, params.id);
    await presence.profileChanged(params.id);
    return withStatus(params.id);
  });

  route(router, {
    method: 'put', path: '/api/me/max-conversations', operationId: 'setMyMaxConversations', summary: 'An agent changes their own limit (when the desk allows it)', tag: 'agents', access: 'staff',
    body: z.object({ maxConversations: MaxConversations }).strict(), response: AgentWithStatus,
  }, async ({ principal, body }) => {
    if (principal?.kind !== 'staff') throw forbidden();
    const settings = await loadDispatcherSettings(db);
    if (principal.role !== 'admin' && !settings.agentsMayChangeLimit) throw forbidden('Agents may not change their own limit on this desk');
    await db.update(users).set({ maxConversations: body.maxConversations }).where(eq(users.id, principal.userId));
    await presence.profileChanged(principal.userId);
    return withStatus(principal.userId);
  });

  route(router, {
    method: 'post', path: '/api/agents/:id/force-offline', operationId: 'forceAgentOffline', notFound: 'No such agent', summary: 'Put an agent offline; they keep their current conversations', tag: 'agents', access: 'admin',
    params: AgentId, response: AgentWithStatus,
  }, async ({ params }) => {
    const state = await presence.setStatus(params.id, 'offline', 'Forced offline by an admin');
    ctx.io.to(rooms.agent(params.id)).emit('agent:state', state);
    return withStatus(params.id, state);
  });

  route(router, {
    method: 'post', path: '/api/agents/:id/disable', operationId: 'disableAgent', notFound: 'No such agent', conflict: 'admins cannot disable their own account', summary: 'Disable an account: it cannot sign in, its sessions end and it goes offline', tag: 'agents', access: 'admin',
    params: AgentId, response: DisableResult,
    responses: { 202: { description: 'Disabled and signed out; the desk (Temporal) did not confirm in time and will be told when it is back (`desk: "pending"`)', schema: DisableResult } },
  }, async ({ params, principal, res }) => {
    if (principal?.kind === 'staff' && principal.userId === params.id) throw conflict('You cannot disable your own account');
    // The database first: from here on no token of the account works and no socket can connect.
    const [user] = await db.update(users).set({ disabled: true, tokenVersion: nextTokenVersion }).where(eq(users.id, params.id)).returning({ id: users.id });
    if (!user) throw notFound('Agent');
    await revokeStaffSockets(ctx.io, params.id);
    const state = await disabledAgents.tellDesk(params.id);
    if (state === 'pending') {
      res.status(202).json({ ...(await withStatus(params.id)), desk: 'pending' });
      return;
    }
    return { ...(await withStatus(params.id, state)), desk: 'updated' };
  });

  route(router, {
    method: 'post', path: '/api/agents/:id/restore', operationId: 'restoreAgent', notFound: 'No such agent', summary: 'Re-enable a disabled account (tokens from before stay revoked)', tag: 'agents', access: 'admin',
    params: AgentId, response: AgentWithStatus,
  }, async ({ params }) => {
    const [user] = await db.update(users).set({ disabled: false, tokenVersion: nextTokenVersion }).where(eq(users.id, params.id)).returning({ id: users.id });
    if (!user) throw notFound('Agent');
    await revokeStaffSockets(ctx.io, params.id);
    return withStatus(params.id);
  });

  route(router, {
    method: 'get', path: '/api/agents/:id/status-history', operationId: 'getAgentStatusHistory', notFound: 'No such agent', summary: 'Status changes, newest first (for statistics)', tag: 'agents', access: 'admin',
    params: AgentId,
    response: z.object({ history: z.array(z.object({ status: z.string(), reason: z.string().nullable(), at: z.string() })) }),
  }, async ({ params }) => {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, params.id));
    if (!user) throw notFound('Agent');
    const rows = await db.select().from(agentStatusLog).where(and(eq(agentStatusLog.userId, params.id))).orderBy(desc(agentStatusLog.at)).limit(500);
    return { history: rows.map((r) => ({ status: r.status, reason: r.reason, at: r.at.toISOString() })) };
  });

  return router;
}
