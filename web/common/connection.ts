import type { Ref } from 'vue';
import type { ParleySocket } from './socket';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** Mirror a socket's connection into a ref; `onConnect` runs on every (re)connect, the place to resubscribe. */
export function trackConnection(
  socket: ParleySocket,
  state: Ref<ConnectionState>,
  onConnect: () => void,
  onRejected?: (err: Error) => void,
) {
  state.value = socket.connected ? 'connected' : 'connecting';
  socket.on('connect', () => {
    state.value = 'connected';
    onConnect();
  });
  socket.on('disconnect', (reason) => {
    state.value = 'disconnected';
    // The server closed this socket on purpose (e.g. token revoked): socket.io will not reconnect by itself.
    if (reason === 'io server disconnect') onRejected?.(new Error('disconnected by the server'));
  });
  socket.on('connect_error', (err) => {
    state.value = 'disconnected';
    // The desk's database or conversation service is down for a moment: not a rejection, try again.
    const data = (err as Error & { data?: { code?: string; retryAfterSec?: number } }).data;
    if (data?.code === 'unavailable') {
      setTimeout(() => { if (!socket.connected) socket.connect(); }, (data.retryAfterSec ?? 5) * 1000);
      return;
    }
    // A rejection by the server's middleware (bad or expired token) is not retried by socket.io;
    // transport failures are, on their own.
    if (!socket.active) onRejected?.(err);
  });
}
