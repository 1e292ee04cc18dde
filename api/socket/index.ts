import type { Server, Socket } from 'socket.io';
import { principalFromToken } from '../auth/middleware.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import type { ConversationService } from '../services/conversations.js';
import type { PresenceService } from '../services/presence.js';
import type { TransferService } from '../services/transfers.js';
import type { AckError } from '../../shared/events.js';
import { toAckError, unauthorized } from '../http/errors.js';
import { resolveRateLimits, tokenBuckets } from '../http/rate-limit.js';
import { rejectUnhandledEvents } from './handler.js';
import { attachStaff, joinStaffRooms } from './staff.js';
import { attachVisitor, joinVisitorRooms } from './visitor.js';

/** Every socket must present a valid token at the handshake; its events are then scoped to that principal. */
export function attachSockets(io: Server, ctx: ApiContext, services: { conversations: ConversationService; presence: PresenceService; transfers: TransferService }): void {
  const { conversations } = services;
  // Per visitor across all of its sockets in this process (see api/http/rate-limit.ts).
  const { messagesPer10s } = resolveRateLimits(ctx.config.rateLimits);
  const visitorEvents = tokenBuckets({ capacity: messagesPer10s, perMs: 10_000 });
  io.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const principal = typeof token === 'string' ? await principalFromToken(ctx.tokens, ctx.database.db, token) : null;
      if (!principal) return next(handshakeError(unauthorized('unauthorized: a valid token is required')));
      socket.data.principal = principal;
      // Join rooms before the client sees `connect`: it then loads history, and nothing falls in between.
      await joinRooms(socket, ctx, principal, conversations);
      next();
    } catch (err) {
      next(handshakeError(err));
    }
  });

  io.on('connection', (socket) => {
    const principal = socket.data.principal as Principal;
    rejectUnhandledEvents(socket);
    if (principal.kind === 'visitor') attachVisitor(socket, principal.visitorId, conversations, () => visitorEvents.take(principal.visitorId));
    else attachStaff(io, socket, principal, services);
  });
}

/**
 * The `connect_error` a client gets: the API's error shape in `data`, and a message that never carries
 * the underlying failure (a failed query's SQL used to reach the client here). A store being down
 * is `unavailable`; anything unknown is logged with an error id.
 */
function handshakeError(err: unknown): Error & { data: AckError & { retryAfterSec?: number } } {
  const { error, retryAfterSec } = toAckError(err);
  return Object.assign(new Error(error.message), { data: { ...error, ...(retryAfterSec ? { retryAfterSec } : {}) } });
}

function joinRooms(socket: Socket, ctx: ApiContext, principal: Principal, conversations: ConversationService) {
  return principal.kind === 'visitor' ? joinVisitorRooms(socket, principal.visitorId, conversations) : joinStaffRooms(socket, ctx, principal);
}
