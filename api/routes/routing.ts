import { Router } from 'express';
import { z } from 'zod';
import { teamIdsOf } from '../../db/accounts.js';
import { loadDispatcherSettings, saveDispatcherSettings } from '../../db/settings.js';
import { STRICT_OUTBOUND_POLICY, urlRefusal } from '../../domain/outbound.js';
import { DispatcherSettingsInputSchema, DispatcherSettingsSchema } from '../../domain/routing.js';
import { rooms, TransferAnswerPayload, TransferNoteSchema, TransferTargetSchema } from '../../domain/contracts/events.js';
import type { ApiContext } from '../context.js';
import { badRequest, forbidden } from '../http/errors.js';
import { exactlyOneOf } from '../http/openapi.js';
import { route } from '../http/route.js';
import { workbenchSettingsOf } from './workbench.js';
import type { ConversationService } from '../services/conversations.js';
import type { PresenceService } from '../services/presence.js';
import type { TransferService } from '../services/transfers.js';
import { IdParams, QueueEntrySchema } from '../../domain/contracts/rest.js';

/** Exactly one target: an agent or a team (a oneOf in the document). */
const TransferTargetBody = exactlyOneOf([
  z.object({ toAgentId: TransferTargetSchema.shape.toAgentId.unwrap(), note: TransferNoteSchema.optional() }).strict(),
  z.object({ toTeamId: TransferTargetSchema.shape.toTeamId.unwrap(), note: TransferNoteSchema.optional() }).strict(),
], 'give exactly one of toAgentId (an agent id) or toTeamId (a team id)');

export function routingRoutes(ctx: ApiContext,
    services: { conversations: ConversationService; presence: PresenceService; transfers: TransferService }): Router {
  const router = Router();
  const { db } = ctx.database;
  const { presence, transfers } = services;
  const teamsOf = async (userId: string) => new Set(await teamIdsOf(db, userId));

  route(router, {
    method: 'get', path: '/api/settings/routing', operationId: 'getRoutingSettings', summary: 'Desk routing settings', tag: 'routing', access: 'admin', response: DispatcherSettingsSchema,
  }, async () => loadDispatcherSettings(db));

  route(router, {
    method: 'put', path: '/api/settings/routing', operationId: 'updateRoutingSettings', summary: 'Change desk routing settings (partial update)', tag: 'routing', access: 'admin',
    body: DispatcherSettingsInputSchema.partial(), response: DispatcherSettingsSchema,
  }, async ({ body }) => {
    if (body.assignWebhookUrl) {
      const refusal = urlRefusal(body.assignWebhookUrl, ctx.config.outbound ?? STRICT_OUTBOUND_POLICY);
      if (refusal !== null) throw badRequest(`body.assignWebhookUrl: ${refusal}`, 'assignWebhookUrl');
    }
    const settings = { ...(await loadDispatcherSettings(db)), ...body };
    await saveDispatcherSettings(db, settings);
    await presence.settingsChanged(settings);
    ctx.io.to(rooms.staff).emit('desk:settings', workbenchSettingsOf(settings));
    return settings;
  });

  route(router, {
    method: 'get', path: '/api/queue', operationId: 'listQueue', summary: 'Waiting conversations (agents: their teams; admins: all), in service order', tag: 'routing', access: 'staff',
    response: z.object({ queue: z.array(QueueEntrySchema) }),
  }, async ({ principal }) => {
    let visible = await presence.queue();
    if (principal?.kind === 'staff' && principal.role !== 'admin') {
      const mine = await teamsOf(principal.userId);
      visible = visible.filter((e) => e.teamId === null || mine.has(e.teamId));
    }
    return { queue: visible.map((e) => ({ conversationId: e.conversationId, teamId: e.teamId, vip: e.vip, visitorName: e.visitorName,
        enqueuedAt: e.enqueuedAt.toISOString(), position: e.position })) };
  });

  route(router, {
    method: 'post', path: '/api/conversations/:id/join', operationId: 'joinConversation', notFound: 'No such conversation', conflict: 'the conversation is not waiting in the queue, or the admin is at their limit', summary: 'Take a queued conversation by hand (admins always; agents when the desk allows)', tag: 'routing', access: 'staff',
    params: IdParams, body: z.object({}).strict(),
  }, async ({ principal, params }) => {
    if (principal?.kind !== 'staff') throw forbidden();
    if (principal.role !== 'admin' && !(await loadDispatcherSettings(db)).agentsMayJoinQueued) throw forbidden('Agents may not take queued conversations by hand on this desk');
    const c = await services.conversations.get(params.id);
    // Agents see only their teams' queues (GET /api/queue); they may take only from those.
    if (principal.role !== 'admin' && c.teamId !== null && !(await teamsOf(principal.userId)).has(c.teamId)) throw forbidden("You can only take conversations waiting in your teams' queues");
    if (principal.role === 'admin') {
      // Admins can always join: one who is not serving in the workbench joins as busy (no automatic assignments).
      const me = await presence.current(principal.userId);
      if (!me || me.status === 'offline') await presence.setStatus(principal.userId, 'busy', 'Joined a queued conversation');
    }
    await presence.claim(principal.userId, params.id);
    return { ok: true };
  });

  route(router, {
    method: 'post', path: '/api/conversations/:id/assign', operationId: 'assignConversation', notFound: 'No such conversation, or no such agent', conflict: 'the conversation is not waiting in the queue, or the agent is offline or at their limit', summary: 'Assign a queued conversation to an agent', tag: 'routing', access: 'admin',
    params: IdParams, body: z.object({ agentId: z.uuid() }).strict(),
  }, async ({ params, body }) => {
    await services.conversations.get(params.id);
    await presence.claim(body.agentId, params.id);
    return { ok: true };
  });

  route(router, {
    method: 'post', path: '/api/conversations/:id/transfer', operationId: 'transferConversation', notFound: 'No such conversation, agent or team', conflict: 'the conversation is not being served, a transfer is already waiting, or the target is offline, at their limit, or the team has no other agent', summary: 'Transfer to an agent or a team (the target may have to confirm)', tag: 'routing', access: 'staff',
    params: IdParams, body: TransferTargetBody,
    response: z.object({ transferId: z.string(), outcome: z.enum(['pending', 'moved', 'queued']), toAgentId: z.uuid().nullable(), expiresAt: z.string().nullable() }),
  }, async ({ principal, params, body }) => {
    return transfers.request(principal!, { conversationId: params.id, ...body });
  });

  route(router, {
    method: 'post', path: '/api/transfers/:transferId/answer', operationId: 'answerTransfer', notFound: 'No transfer with this id was offered to you', conflict: 'the transfer was already answered, expired or was cancelled', summary: 'Accept or reject a transfer offered to you', tag: 'routing', access: 'staff',
    params: z.object({ transferId: z.uuid() }), body: TransferAnswerPayload.omit({ transferId: true }).strict(),
    response: z.object({ outcome: z.enum(['accepted', 'rejected']) }),
  }, async ({ principal, params, body }) => transfers.answer(principal!, params.transferId, body.accept));

  return router;
}
