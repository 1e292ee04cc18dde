import type { Socket } from 'socket.io';
import { z } from 'zod';
import { rooms, VisitorLocalePayload, VisitorMessagePayload, VisitorRatePayload } from '../../domain/contracts/events.js';
import { conflict } from '../http/errors.js';
import type { RateCheck } from '../http/rate-limit.js';
import type { ConversationService } from '../services/conversations.js';
import { onEvent } from './handler.js';

/** Every socket of one visitor. */
export const visitorRoom = (visitorId: string) => `visitor:${visitorId}`;

export async function joinVisitorRooms(socket: Socket, visitorId: string, conversations: ConversationService): Promise<void> {
  socket.join(visitorRoom(visitorId));
  const current = await conversations.currentForVisitor(visitorId);
  if (current) socket.join(rooms.conversation(current.id));
}

/** A visitor's socket acts on the visitor's current conversation only. Every event spends from the visitor's rate `limit`. */
export function attachVisitor(socket: Socket, visitorId: string, conversations: ConversationService, limit?: () => RateCheck): void {
  const principal = { kind: 'visitor' as const, visitorId };

  /** The conversation this socket last looked up: a guess for the fast path, which checks it again. */
  let lastId: string | null = null;
  const current = async () => {
    const c = await conversations.currentForVisitor(visitorId);
    if (!c) throw conflict('You have no open conversation; start one first');
    socket.join(rooms.conversation(c.id));
    lastId = c.id;
    return c;
  };

  // Fast path: the conversation it wrote in last, still open. Otherwise (closed, a newer one started
  // elsewhere, a retried clientId) look the current one up and take the full path.
  onEvent(socket, 'visitor:message', VisitorMessagePayload, async (p) => {
    const fast = await conversations.tryPostMessage(principal, lastId ?? (await current()).id, p);
    return { message: fast ?? await conversations.postMessageIn(principal, await current(), p) };
  }, { limit });
  onEvent(socket, 'visitor:rate', VisitorRatePayload, async (p) => {
    const latest = await conversations.latestForVisitor(visitorId);
    if (!latest) throw conflict('You have no conversation to rate');
    await conversations.rate(principal, latest.id, p);
  }, { limit });
  onEvent(socket, 'visitor:close', z.object({}), async () => { await conversations.close(principal, (await current()).id); }, { limit });
  // Issue 19: later flow texts of the open conversation are said in this language.
  onEvent(socket, 'visitor:locale', VisitorLocalePayload, async (p) => ({ locale: await conversations.setLocale(principal, (await current()).id, p.locale) }), { limit });
}
