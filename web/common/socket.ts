import { request, socketClient, type AckOk, type ClientEvent, type ParleySocket, type PayloadOf } from '../../client/socket';

export type { AckOk, ParleySocket, PayloadOf };

/**
 * One Socket.IO connection (same origin, path /socket.io), authenticated with a visitor token, or
 * without one by the staff session cookie the browser sends along.
 * WebSocket first; long-polling only as a fallback where WebSockets are blocked.
 */
export function createSocket(token?: string): ParleySocket {
  return socketClient(undefined, token, { transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000 });
}

/**
 * Emit a client→server event and wait for its ack. Resolves with the `{ ok: true, ... }` body; rejects with an
 * ApiError carrying the server's `{ code, message, field }` or `timeout` if no ack arrives in time.
 */
export function emitWithAck<E extends ClientEvent>(socket: ParleySocket, event: E, payload: PayloadOf<E>, timeoutMs?: number): Promise<AckOk<E>> {
  return request(socket, event, payload, timeoutMs);
}
