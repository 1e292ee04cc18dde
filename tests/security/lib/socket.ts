import type { Socket } from 'socket.io-client';
import { socketClient } from '../../../client/socket.js';

/**
 * Connects with `auth` as given (any shape, for refusal tests); resolves with the socket or the connect error.
 * Emits go out raw (`emitRaw`), not through the typed client: these tests send what the contract forbids.
 */
export function rawConnect(baseUrl: string, auth: unknown, reconnection = false): Promise<{ socket: Socket; error?: Error }> {
  const socket: Socket = socketClient(baseUrl, undefined, { auth: auth as Record<string, unknown>, reconnection, forceNew: true, timeout: 10_000 });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => { if (!reconnection) socket.close(); resolve({ socket, error }); });
  });
}

export type AckResult = { acked: true; res: any } | { acked: false };

/** Emits `args` as they are (payload, extra args…) with an ack callback appended; `acked: false` on timeout. */
export function emitRaw(socket: Socket, event: string, args: unknown[], ms = 5_000): Promise<AckResult> {
  return new Promise((resolve) => {
    socket.timeout(ms).emit(event, ...args, (err: Error | null, res: unknown) => resolve(err ? { acked: false } : { acked: true, res }));
  });
}

const KNOWN_CODES = new Set(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'rate_limited']);

/** An error ack as the contract promises: `{ ok: false, error: { code, message } }`, never `internal`. */
export function errorAckProblem(result: AckResult): string | null {
  if (!result.acked) return 'no ack within 5 s';
  const { res } = result;
  if (res?.ok !== false) return `expected ok:false, got ${JSON.stringify(res)?.slice(0, 300)}`;
  if (!KNOWN_CODES.has(res.error?.code)) return `unexpected error code: ${JSON.stringify(res.error)?.slice(0, 300)}`;
  if (typeof res.error.message !== 'string' || !res.error.message) return 'error without a message';
  return null;
}

/** The connection still answers: an unhandled event name gets its `forbidden` ack. */
export async function stillServes(socket: Socket): Promise<boolean> {
  const r = await emitRaw(socket, 'security:ping', [{}]);
  return r.acked && r.res?.ok === false && r.res.error?.code === 'forbidden';
}
