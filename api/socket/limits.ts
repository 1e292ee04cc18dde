import type { Socket } from 'socket.io';

/**
 * Bounds on open sockets. Counted per API process (from the adapter's rooms, so a handshake in progress
 * counts too): with N API processes a visitor or user can hold up to N times the bound.
 */
export interface SocketLimitConfig {
  /** Sockets at once per visitor, whichever token copy they use (env SOCKETS_PER_VISITOR). */
  perVisitor: number;
  /** Sockets at once per staff user (env SOCKETS_PER_STAFF_USER). */
  perStaffUser: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimitConfig = { perVisitor: 10, perStaffUser: 10 };

export const resolveSocketLimits = (limits?: Partial<SocketLimitConfig>): SocketLimitConfig => ({ ...DEFAULT_SOCKET_LIMITS, ...limits });

/** A handshake refusal the client can branch on: `connect_error` with `message` "<code>: …" and `data.code`. */
export function connectRefusal(code: 'unauthorized' | 'too_many_connections', message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { data: { code } });
}

/**
 * Joins `room` (the principal's own room) unless it already holds `max` sockets of this process.
 * Synchronous from count to join, so concurrent handshakes cannot both take the last place.
 */
export function takeSocketPlace(socket: Socket, room: string, max: number): boolean {
  const held = socket.nsp.adapter.rooms.get(room)?.size ?? 0;
  if (held >= max) return false;
  socket.join(room);
  return true;
}
