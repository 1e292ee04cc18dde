import type { Server } from 'socket.io';
import { rooms } from '../../domain/contracts/events.js';

/** Server-side event (Socket.IO adapter: every API process) asking each process to drop a user's sockets. */
const REVOKED = 'parley:staff-revoked';
/** How long a revocation waits for the other API processes to confirm; a process that does not answer in time is shutting down or gone. */
const CONFIRM_TIMEOUT_MS = 3_000;
/** Revocations are remembered this long, for handshakes that verified their token just before one. */
const REMEMBER_MS = 60_000;

interface Revocations {
  /** userId → when this process last dropped that user's sockets. */
  at: Map<string, number>;
}
const state = new WeakMap<Server, Revocations>();

function dropLocal(io: Server, userId: string): void {
  const r = state.get(io);
  const now = Date.now();
  if (r) {
    r.at.set(userId, now);
    for (const [id, t] of r.at) if (now - t > REMEMBER_MS) r.at.delete(id);
  }
  io.local.in(rooms.agent(userId)).disconnectSockets(true);
}

/** Registers this process's half of `revokeStaffSockets` (call once per Socket.IO server). */
export function listenForRevocations(io: Server): void {
  state.set(io, { at: new Map() });
  io.on(REVOKED, (userId: unknown, ack?: unknown) => {
    if (typeof userId === 'string') dropLocal(io, userId);
    if (typeof ack === 'function') (ack as (ok: boolean) => void)(true);
  });
}

/**
 * Disconnects every socket of a staff user on every API process and resolves once each process has
 * done so (or after a few seconds for one that does not answer). Call it after the account change is
 * committed: a reconnect then meets the new state (refused, or the new role).
 * Returns false when some process did not confirm in time.
 */
export async function revokeStaffSockets(io: Server, userId: string): Promise<boolean> {
  dropLocal(io, userId);
  // Also as a plain broadcast: the acknowledged event goes only to the processes the adapter has heard
  // from lately (heartbeats), so one that missed a heartbeat still closes the sockets.
  void io.in(rooms.agent(userId)).disconnectSockets(true);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), CONFIRM_TIMEOUT_MS); });
  try {
    return await Promise.race([io.serverSideEmitWithAck(REVOKED, userId).then(() => true, () => false), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when this process dropped the user's sockets at or after `since` (a handshake that began before must not complete). */
export function revokedSince(io: Server, userId: string, since: number): boolean {
  const t = state.get(io)?.at.get(userId);
  return t !== undefined && t >= since;
}
