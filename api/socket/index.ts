import type { Server, Socket } from 'socket.io';
import { principalFromRequest, principalFromToken } from '../auth/middleware.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import type { ConversationService } from '../services/conversations.js';
import type { PresenceService } from '../services/presence.js';
import type { TransferService } from '../services/transfers.js';
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
    const principal = await handshakePrincipal(socket, ctx).catch(() => null);
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
    rejectUnhandledEvents(socket);
    if (principal.kind === 'visitor') attachVisitor(socket, principal.visitorId, conversations, () => visitorEvents.take(principal.visitorId));
    else attachStaff(io, socket, principal, services);
  });
}

function joinRooms(socket: Socket, ctx: ApiContext, principal: Principal, conversations: ConversationService) {
  return principal.kind === 'visitor' ? joinVisitorRooms(socket, principal.visitorId, conversations) : joinStaffRooms(socket, ctx, principal);
}

/**
 * A token given in `auth` (visitors, API clients), else the staff session cookie. A cookie rides along
 * on any connection the browser opens, so a cookie handshake must come from this site: an Origin
 * header, when sent, must name this host (WebSockets always send it; same-origin polling may not).
 */
async function handshakePrincipal(socket: Socket, ctx: ApiContext): Promise<Principal | null> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (token !== undefined) return typeof token === 'string' ? principalFromToken(ctx.tokens, ctx.database.db, token) : null;
  const { headers } = socket.handshake;
  if (!fromThisSite(headers.origin, headers.host, headers['sec-fetch-site'])) return null;
  return (await principalFromRequest(ctx.tokens, ctx.database.db, ctx.sessions, { cookie: headers.cookie })).principal;
}

function fromThisSite(origin: string | undefined, host: string | undefined, fetchSite: string | string[] | undefined): boolean {
  if (fetchSite === 'cross-site') return false;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
