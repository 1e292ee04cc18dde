import type { Server, Socket } from 'socket.io';
import { principalFromToken } from '../auth/middleware.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import type { ConversationService } from '../services/conversations.js';
import type { PresenceService } from '../services/presence.js';
import { attachStaff, joinStaffRooms } from './staff.js';
import { attachVisitor, joinVisitorRooms } from './visitor.js';

/** Every socket must present a valid token at the handshake; its events are then scoped to that principal. */
export function attachSockets(io: Server, ctx: ApiContext, conversations: ConversationService, presence: PresenceService): void {
  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const principal = typeof token === 'string' ? await principalFromToken(ctx.tokens, ctx.database.db, token).catch(() => null) : null;
    if (!principal) return next(new Error('unauthorized: a valid token is required'));
    socket.data.principal = principal;
    // Join rooms before the client sees `connect`: it then loads history, and nothing falls in between.
    try {
      await joinRooms(socket, ctx, principal, conversations);
      next();
    } catch (err) {
      next(err instanceof Error ? err : new Error('connection setup failed'));
    }
  });

  io.on('connection', (socket) => {
    const principal = socket.data.principal as Principal;
    if (principal.kind === 'visitor') attachVisitor(socket, principal.visitorId, conversations);
    else attachStaff(io, socket, principal, conversations, presence);
  });
}

function joinRooms(socket: Socket, ctx: ApiContext, principal: Principal, conversations: ConversationService) {
  return principal.kind === 'visitor' ? joinVisitorRooms(socket, principal.visitorId, conversations) : joinStaffRooms(socket, ctx, principal);
}
