import type { Server, Socket } from 'socket.io';
import type { Role } from '../../domain/agents.js';
import {
  AgentMessagePayload, AgentNotePayload, AgentStatusPayload, ClassifyPayload, ConversationRefPayload, rooms, TransferAnswerPayload, TransferPayload,
  type TransferContext,
} from '../../domain/contracts/events.js';
import type { NotesService } from '../services/notes.js';
import type { ClassificationService } from '../services/classification.js';
import { heldConversationIds } from '../../db/queries.js';
import { loadOfferSummaries } from '../../db/offer-summaries.js';
import type { ApiContext } from '../context.js';
import { logFailure } from '../http/errors.js';
import type { ConversationService } from '../services/conversations.js';
import type { PresenceService } from '../services/presence.js';
import { agentStateOf } from '../../domain/desk/state.js';
import type { TransferService } from '../services/transfers.js';
import type { z } from 'zod';
import type { RateCheck } from '../http/rate-limit.js';
import { onEvent as onSocketEvent } from './handler.js';

export async function joinStaffRooms(socket: Socket, ctx: ApiContext, user: { userId: string; role: Role }): Promise<void> {
  socket.join([rooms.agent(user.userId), rooms.staff, ...(user.role === 'admin' ? [rooms.admins] : [])]);
  const held = await heldConversationIds(ctx.database.db, user.userId);
  socket.join(held.flatMap((id) => [rooms.conversation(id), rooms.conversationStaff(id)]));
}

/** Agents and admins: presence, offers, chatting in the conversations they hold, watching. */
export function attachStaff(
  io: Server, socket: Socket, user: { userId: string; role: Role },
  { conversations, presence, transfers, notes, classification }: {
    conversations: ConversationService; presence: PresenceService; transfers: TransferService; notes: NotesService; classification: ClassificationService;
  },
  /** The user's event budget (shared by their sockets in this process); a refusal acks `rate_limited`. */
  limit?: () => RateCheck,
  /** To read offer summaries when offers are shown again after a reconnect. */
  ctx?: ApiContext,
): void {
  const principal = { kind: 'staff' as const, ...user };
  const onEvent = <S extends z.ZodType, R extends object>(event: string, schema: S, handler: (payload: z.infer<S>) => Promise<R | void>) =>
    onSocketEvent(socket, event, schema, handler, { limit });
  onEvent('agent:status', AgentStatusPayload, async (p) => ({ state: await presence.setStatus(user.userId, p.status, p.reason) }));
  onEvent('agent:accept', ConversationRefPayload, async (p) => {
    await presence.accept(user.userId, p.conversationId);
    socket.join([rooms.conversation(p.conversationId), rooms.conversationStaff(p.conversationId)]);
  });
  onEvent('agent:reject', ConversationRefPayload, async (p) => { await presence.reject(user.userId, p.conversationId); });
  onEvent('agent:message', AgentMessagePayload, async (p) => {
    const { conversationId, ...text } = p;
    return { message: await conversations.postMessage(principal, conversationId, text) };
  });
  onEvent('agent:close', ConversationRefPayload, async (p) => { await conversations.close(principal, p.conversationId); });
  onEvent('agent:transfer', TransferPayload, async (p) => ({ ...(await transfers.request(principal, p)) }));
  onEvent('agent:transfer-answer', TransferAnswerPayload, async (p) => {
    const result = await transfers.answer(principal, p.transferId, p.accept);
    return { ...result };
  });
  onEvent('conversation:watch', ConversationRefPayload, async (p) => {
    await conversations.getReadable(principal, p.conversationId);
    socket.join([rooms.conversation(p.conversationId), rooms.conversationStaff(p.conversationId)]);
  });
  // Issue 18: private notes (never to the visitor) and classification.
  onEvent('agent:note', AgentNotePayload, async ({ conversationId, ...note }) => ({ message: await notes.post(principal, conversationId, note) }));
  onEvent('conversation:classify', ClassifyPayload, async ({ conversationId, ...change }) => ({ classification: await classification.set(principal, conversationId, change) }));

  socket.on('disconnect', () => void presence.track((async () => {
    if (user.role !== 'agent' && user.role !== 'admin') return;
    // true/false: the agent has/has no socket on any API process; null: an API process did not answer
    // (it is shutting down), so we cannot tell: let the grace period decide, a reconnect cancels it.
    const connected = () => io.in(rooms.agent(user.userId)).fetchSockets().then((s) => s.length > 0, () => null);
    try {
      if (await connected()) return;
      await presence.disconnected(user.userId);
      // A socket that connected meanwhile may have checked in before the dispatcher heard of the drop.
      if (await connected()) await presence.connected(user.userId);
    } catch (err) {
      logFailure('[api] presence on disconnect failed:', err);
    }
  })()));

  void resumePresence(socket, user.userId, presence, transfers, ctx);
}

/** A reconnect within the grace period keeps the agent's status; tell the dispatcher it is back. */
async function resumePresence(socket: Socket, agentId: string, presence: PresenceService, transfers: TransferService, ctx?: ApiContext): Promise<void> {
  const known = await presence.connected(agentId).catch(() => null);
  if (!known) {
    const maxConversations = await presence.maxConversations(agentId).catch(() => 0);
    // Revision 0 is older than any state the desk publishes (from 1): if the agent went online and was given
    // a conversation while this was on its way, the client keeps that newer state instead of this one.
    socket.emit('agent:state', { status: 'offline', load: 0, maxConversations, conversationIds: [], revision: 0 });
    return;
  }
  socket.emit('agent:state', agentStateOf(known));
  // Offers and transfer requests sent while this socket was away are shown again (clients replace by id).
  const summaries = ctx && known.pendingOffers.length
    ? await loadOfferSummaries(ctx.database.db, known.pendingOffers.map((o) => o.conversationId)).catch(() => null)
    : null;
  for (const offer of known.pendingOffers) {
    const summary = summaries?.get(offer.conversationId);
    socket.emit('offer', summary ? { ...offer, summary } : offer);
  }
  const contexts = await transfers.contexts(known.pendingTransfers).catch(() => new Map<string, TransferContext>());
  for (const request of known.pendingTransfers) socket.emit('transfer:request', { ...request, ...(contexts.has(request.transferId) ? { context: contexts.get(request.transferId) } : {}) });
}
