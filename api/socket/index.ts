import type { Server, Socket } from 'socket.io';
import { sessionFromRequest, sessionFromToken } from '../auth/middleware.js';
import type { Principal, VerifiedToken } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import type { ComposerService } from '../services/composer.js';
import type { ConversationService } from '../services/conversations.js';
import type { PresenceService } from '../services/presence.js';
import type { TransferService } from '../services/transfers.js';
import { rooms, type AckError } from '../../domain/contracts/events.js';
import { toAckError } from '../http/errors.js';
import { resolveRateLimits, tokenBuckets } from '../http/rate-limit.js';
import { rejectUnhandledEvents } from './handler.js';
import { connectRefusal, resolveSocketLimits, takeSocketPlace } from './limits.js';
import { listenForRevocations, revokedSince } from './revocation.js';
import { attachStaffComposer, attachVisitorComposer } from './composer.js';
import { attachStaff, joinStaffRooms } from './staff.js';
import { notesService } from '../services/notes.js';
import { classificationService } from '../services/classification.js';
import { attachVisitor, joinVisitorRooms, visitorRoom } from './visitor.js';
import { attachVisitorOffline } from './visitor-offline.js';
import type { AvailabilityService } from '../services/availability.js';
import type { QueuedVisitorWatch } from '../services/queued-visitors.js';

/** setTimeout's longest delay (about 24.8 days); a visitor token lives 30 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the handshake stores on `socket.data`. */
interface SocketSession { principal: Principal; expiresAt: number }

/**
 * Every socket must present a valid token at the handshake; its events are then scoped to that principal.
 * A socket lives no longer than its token, and a staff user's sockets are dropped on every API process
 * when the account changes (api/socket/revocation.ts).
 */
export function attachSockets(io: Server, ctx: ApiContext,
    services: { conversations: ConversationService; presence: PresenceService; transfers: TransferService; composer: ComposerService;
      availability: AvailabilityService; queuedVisitors: QueuedVisitorWatch }): void {
  const { conversations } = services;
  // Issue 18: private notes and classification on staff sockets.
  const staffServices = { ...services, notes: notesService(ctx, conversations), classification: classificationService(ctx, conversations) };
  listenForRevocations(io);
  // Per visitor / per staff user across all of their sockets in this process (see api/http/rate-limit.ts).
  const { messagesPer10s, staffEventsPer10s, signalsPer10s } = resolveRateLimits(ctx.config.rateLimits);
  const visitorEvents = tokenBuckets({ capacity: messagesPer10s, perMs: 10_000 });
  const staffEvents = tokenBuckets({ capacity: staffEventsPer10s, perMs: 10_000 });
  /** Typing and receipts: their own budget per principal, so they never use up the one for messages. */
  const signals = tokenBuckets({ capacity: signalsPer10s, perMs: 10_000 });
  const limits = resolveSocketLimits(ctx.config.socketLimits);
  // The handshake catches its own errors into next(): nothing rejects.
  io.use((socket, next) => void (async () => {
    try {
      const started = Date.now();
      const session = await handshakeSession(socket, ctx);
      if (!session) return next(connectRefusal('unauthorized', 'a valid token is required'));
      const { principal } = session;
      const [ownRoom, max, who] = principal.kind === 'visitor'
        ? [visitorRoom(principal.visitorId), limits.perVisitor, 'visitor']
        : [rooms.agent(principal.userId), limits.perStaffUser, 'staff user'];
      if (!takeSocketPlace(socket, ownRoom, max)) return next(connectRefusal('too_many_connections', `at most ${max} connections at once per ${who}; close another tab or window first`));
      Object.assign(socket.data as SocketSession, { principal, expiresAt: session.expiresAt });
      // Join rooms before the client sees `connect`: it then loads history, and nothing falls in between.
      await joinRooms(socket, ctx, principal, conversations);
      // The account changed while this handshake was checking it: the revocation did not see this socket yet.
      if (principal.kind === 'staff' && revokedSince(io, principal.userId, started)) return next(connectRefusal('unauthorized', 'a valid token is required'));
      next();
    } catch (err) {
      // A store being down is `unavailable` (the client retries), never `unauthorized`.
      next(handshakeError(err));
    }
  })());

  io.on('connection', (socket) => {
    const { principal, expiresAt } = socket.data as SocketSession;
    disconnectAtExpiry(socket, expiresAt);
    rejectUnhandledEvents(socket);
    if (principal.kind === 'visitor') attachVisitor(socket, principal.visitorId, conversations, () => visitorEvents.take(principal.visitorId));
    if (principal.kind === 'visitor') attachVisitorOffline(socket, principal.visitorId, services, () => visitorEvents.take(principal.visitorId));
    else attachStaff(io, socket, principal, staffServices, () => staffEvents.take(principal.userId), ctx);
    if (principal.kind === 'visitor') attachVisitorComposer(socket, principal.visitorId, services.composer, () => signals.take(`v:${principal.visitorId}`));
    else attachStaffComposer(socket, principal, services.composer, () => signals.take(`s:${principal.userId}`));
  });
}

/** Closes the socket when its token expires (the client must sign in, or get a new visitor token, again). */
function disconnectAtExpiry(socket: Socket, expiresAt: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return void socket.disconnect(true);
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  socket.once('disconnect', () => clearTimeout(timer));
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

/**
 * A token given in `auth` (visitors, API clients), else the staff session cookie. A cookie rides along
 * on any connection the browser opens, so a cookie handshake must come from this site: an Origin
 * header, when sent, must name this host (WebSockets always send it; same-origin polling may not).
 */
async function handshakeSession(socket: Socket, ctx: ApiContext): Promise<VerifiedToken | null> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (token !== undefined) return typeof token === 'string' ? sessionFromToken(ctx.tokens, ctx.database.db, token) : null;
  const { headers } = socket.handshake;
  if (!fromThisSite(headers.origin, headers.host, headers['sec-fetch-site'])) return null;
  return (await sessionFromRequest(ctx.tokens, ctx.database.db, ctx.sessions, { cookie: headers.cookie })).session;
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
