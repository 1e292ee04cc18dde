import { Router } from 'express';
import { z } from 'zod';
import { agentStatusHistory, createUser, findUser, findUserByEmail, listUserIds, setTeamMemberships, setUserDisabled, teamIdsOf, toProfile, updateUser } from '../../db/accounts.js';
import { loadDispatcherSettings } from '../../db/settings.js';
import { EmailSchema, RoleSchema } from '../../domain/agents.js';
import { rooms } from '../../domain/contracts/events.js';
import { teamExists } from '../../db/teams.js';
import { hashPassword } from '../auth/passwords.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import type { DisabledAgents } from '../services/disabled-agents.js';
import type { AgentPresence, PresenceService } from '../services/presence.js';
import { revokeStaffSockets } from '../socket/revocation.js';
import { AgentWithStatusSchema as AgentWithStatus, DisableResultSchema as DisableResult } from '../../domain/contracts/rest.js';

const AgentId = z.object({ id: z.uuid({ error: 'id must be an agent id (UUID)' }) });
const MaxConversations = z.number().int().min(0).max(100);
const TeamIds = z.array(z.string().min(1).max(64)).max(50);

export function agentRoutes(ctx: ApiContext, { presence, disabledAgents }: { presence: PresenceService; disabledAgents: DisabledAgents }): Router {
  const router = Router();
  const { db } = ctx.database;

  async function checkTeamsExist(teamIds: string[]) {
    for (const id of new Set(teamIds)) {
      if (!(await teamExists(db, id))) throw notFound(`Team "${id}"`);
    }
  }

  async function setTeams(userId: string, teamIds: string[]) {
    await checkTeamsExist(teamIds);
    await setTeamMemberships(db, userId, teamIds);
  }

  /**
   * `live`: the agent's presence when the caller has it (a list reads all at once; a route that just
   * changed the agent passes the dispatcher's answer, which the projection may not show yet).
   */
  async function withStatus(userId: string, live?: Pick<AgentPresence, 'status' | 'conversationIds'> | null) {
    const user = await findUser(db, userId);
    if (!user) throw notFound('User');
    if (live === undefined) live = await presence.current(userId);
    return { ...toProfile(user, await teamIdsOf(db, userId)), status: live?.status ?? 'offline', load: live?.conversationIds.length ?? 0, disabled: user.disabled };
  }

  route(router, {
    method: 'get', path: '/api/agents', operationId: 'listAgents', summary: 'Agents with live status and load', tag: 'agents', access: 'staff',
    response: z.object({ agents: z.array(AgentWithStatus) }),
  }, async () => {
    const all = await listUserIds(db);
    const known = await presence.all();
    return { agents: await Promise.all(all.map((id) => withStatus(id, known.get(id) ?? null))) };
  });

  route(router, {
    method: 'post', path: '/api/agents', operationId: 'createAgent', notFound: 'A team in teamIds does not exist', conflict: 'an account with this email already exists', summary: 'Create an agent or admin', tag: 'agents', access: 'admin', status: 201,
    body: z.object({
      email: EmailSchema, nickname: z.string().trim().min(1).max(80), role: RoleSchema.default('agent'),
      password: z.string().min(10, 'password must have at least 10 characters').max(200), maxConversations: MaxConversations.default(3), teamIds: TeamIds.default([]),
    }).strict(),
    response: AgentWithStatus,
  }, async ({ body }) => {
    if (await findUserByEmail(db, body.email)) throw conflict('An account with this email already exists');
    await checkTeamsExist(body.teamIds);
    const user = await createUser(db, {
      email: body.email, nickname: body.nickname, role: body.role, passwordHash: await hashPassword(body.password), maxConversations: body.maxConversations,
    });
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
    const user = await findUser(db, params.id);
    if (!user) throw notFound('Agent');
    if (body.teamIds) await setTeams(params.id, body.teamIds);
    // A new password or role ends every session of the account: its tokens and its open sockets.
    const revokes = Boolean(body.password) || (body.role !== undefined && body.role !== user.role);
    await updateUser(db, params.id, {
      ...(body.nickname ? { nickname: body.nickname } : {}), ...(body.role ? { role: body.role } : {}),
      ...(body.maxConversations !== undefined ? { maxConversations: body.maxConversations } : {}),
      ...(body.password ? { passwordHash: await hashPassword(body.password) } : {}),
      ...(revokes ? { revokeTokens: true } : {}),
    });
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
    await updateUser(db, principal.userId, { maxConversations: body.maxConversations });
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
    if (!(await setUserDisabled(db, params.id, true))) throw notFound('Agent');
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
    if (!(await setUserDisabled(db, params.id, false))) throw notFound('Agent');
    await revokeStaffSockets(ctx.io, params.id);
    return withStatus(params.id);
  });

  route(router, {
    method: 'get', path: '/api/agents/:id/status-history', operationId: 'getAgentStatusHistory', notFound: 'No such agent', summary: 'Status changes, newest first (for statistics)', tag: 'agents', access: 'admin',
    params: AgentId,
    response: z.object({ history: z.array(z.object({ status: z.string(), reason: z.string().nullable(), at: z.string() })) }),
  }, async ({ params }) => {
    if (!(await findUser(db, params.id))) throw notFound('Agent');
    const rows = await agentStatusHistory(db, params.id, 500);
    return { history: rows.map((r) => ({ status: r.status, reason: r.reason, at: r.at.toISOString() })) };
  });

  return router;
}
