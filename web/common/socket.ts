import { io, type Socket } from 'socket.io-client';
import { ApiError } from './errors';
import type { AckError, ClientToServerEvents, ServerToClientEvents } from '../../domain/contracts/events';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One Socket.IO connection (same origin, path /socket.io), authenticated with a visitor token, or
 * without one by the staff session cookie the browser sends along.
 * WebSocket first; long-polling only as a fallback where WebSockets are blocked.
 */
export function createSocket(token?: string): ParleySocket {
  return io({ path: '/socket.io', ...(token ? { auth: { token } } : {}), transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000 });
}

type ClientEvent = keyof ClientToServerEvents;
export type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type AckResponse<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
export type AckOk<E extends ClientEvent> = Extract<AckResponse<E>, { ok: true }>;

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Emit a client→server event and wait for its ack. Resolves with the `{ ok: true, ... }` body; rejects with an
 * ApiError carrying the server's `{ code, message, field }` or `timeout` if no ack arrives in time.
 */
export function emitWithAck<E extends ClientEvent>(
  socket: ParleySocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<AckOk<E>> {
  return new Promise((resolve, reject) => {
    // The typed overloads cannot follow a generic event name; the contract types above keep callers honest.
    const untyped = socket.timeout(timeoutMs) as unknown as {
      emit(ev: string, p: unknown, cb: (err: Error | null, res: unknown) => void): void;
    };
    untyped.emit(event, payload, (err, res) => {
      if (err) {
        reject(new ApiError('timeout', 'The server did not answer in time. Please try again.'));
        return;
      }
      const r = res as { ok: true } | { ok: false; error: AckError } | undefined;
      if (r && r.ok) resolve(r as AckOk<E>);
      else if (r && r.error) reject(new ApiError(r.error.code, r.error.message, 0, r.error.field));
      else reject(new ApiError('internal', 'Unexpected answer from the server'));
    });
  });
}
