import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../domain/contracts/events.js';
import { ackError, ApiError, timeoutError } from './errors.js';

/**
 * Parley's Socket.IO client over the shared contract (shared/events.ts): path `/socket.io`, `auth: { token }`
 * (a visitor or staff token; in the browser a staff socket sends none and is authenticated by the
 * session cookie). `ack` resolves with the ack as the server sent it (`{ ok: true, ... }` or
 * `{ ok: false, error }`); `request` resolves with the `{ ok: true }` ack and throws an ApiError otherwise.
 */

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ClientEvent = keyof ClientToServerEvents;
export type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
export type AckOf<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
export type AckOk<E extends ClientEvent> = Extract<AckOf<E>, { ok: true }>;

export type SocketClientOptions = Partial<ManagerOptions & SocketOptions>;

const DEFAULT_ACK_TIMEOUT_MS = 10_000;

/** A socket to `baseUrl` (undefined: the page's own origin) authenticated with `token` if given; WebSocket only unless `transports` says otherwise. */
export function socketClient(baseUrl: string | undefined, token: string | null | undefined, options: SocketClientOptions = {}): ParleySocket {
  const opts: SocketClientOptions = { path: '/socket.io', transports: ['websocket'], ...(token ? { auth: { token } } : {}), ...options };
  return baseUrl === undefined ? io(opts) : io(baseUrl, opts);
}

/** Resolves once `socket` is connected; rejects with the first connect error, or after `timeoutMs` (then the socket is closed). */
export function connected(socket: ParleySocket, timeoutMs?: number): Promise<ParleySocket> {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => { socket.close(); reject(new Error('socket connect timed out')); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('connect_error', (err) => { clearTimeout(timer); reject(err); });
  });
}

// The typed overloads of socket.io cannot follow a generic event name; the contract types above keep callers honest.
type UntypedEmitter = { emit(ev: string, p: unknown, cb: (err: Error | null, res: unknown) => void): void };

/** Emits a client→server event and resolves with its ack as sent; rejects with ApiError `timeout` if none arrives in time. */
export function ack<E extends ClientEvent>(socket: ParleySocket, event: E, payload: PayloadOf<E>, timeoutMs = DEFAULT_ACK_TIMEOUT_MS): Promise<AckOf<E>> {
  return new Promise((resolve, reject) => {
    (socket.timeout(timeoutMs) as unknown as UntypedEmitter).emit(event, payload, (err, res) => {
      if (err) reject(timeoutError());
      else resolve(res as AckOf<E>);
    });
  });
}

/** The `{ ok: true, ... }` ack of `res`, or the ApiError its `{ ok: false, error }` stands for. */
export function ackOk<E extends ClientEvent>(res: AckOf<E> | undefined): AckOk<E> {
  if (res && (res as { ok?: unknown }).ok === true) return res as AckOk<E>;
  throw ackError(res);
}

/** Emits and resolves with the `{ ok: true }` ack; an error ack rejects with its ApiError, no ack in time with `timeout`. */
export async function request<E extends ClientEvent>(
  socket: ParleySocket, event: E, payload: PayloadOf<E>, timeoutMs = DEFAULT_ACK_TIMEOUT_MS,
): Promise<AckOk<E>> {
  return ackOk<E>(await ack(socket, event, payload, timeoutMs));
}

export { ApiError };
