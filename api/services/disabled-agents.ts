import { and, eq, ne } from 'drizzle-orm';
import { agentPresence, users } from '../../db/schema.js';
import type { AgentStateEvent } from '../../domain/contracts/events.js';
import type { ApiContext } from '../context.js';
import type { PresenceService } from './presence.js';

/** How long an admin's disable waits for the desk before answering that the desk is pending. */
export const DESK_DEADLINE_MS = 3_000;
export const DEFAULT_DESK_RECONCILE_MS = 15_000;

/**
 * The desk's side of disabling an account. The lock-out itself is the database (the account flag and
 * its token version) and the sockets; the dispatcher workflow is told afterwards, within a deadline, so
 * a Temporal outage never holds up the admin. What it misses is caught up from the database state:
 * every disabled account the desk's projection still shows present is put offline, at start and then
 * every `deskReconcileMs`, so it survives an API restart.
 */
export function disabledAgents(ctx: ApiContext, presence: PresenceService) {
  const { db } = ctx.database;
  let outage = false;

  /** The desk's new state of the agent, or 'pending' when it did not answer within DESK_DEADLINE_MS. */
  async function tellDesk(agentId: string): Promise<AgentStateEvent | 'pending'> {
    let timer: NodeJS.Timeout | undefined;
    // The deadline ends the gRPC calls; the timer bounds the answer even if a retry back-off is under way.
    const tell = ctx.temporal.connection.withDeadline(Date.now() + DESK_DEADLINE_MS, () => presence.setStatus(agentId, 'offline', 'Account disabled'));
    const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('deadline')), DESK_DEADLINE_MS + 250); });
    try {
      const state = await Promise.race([tell, late]);
      if (outage) console.warn('[api] the desk is reachable again: disabled accounts are caught up');
      outage = false;
      return state;
    } catch (err) {
      tell.catch(() => undefined);
      if (!outage) console.warn(`[api] the desk did not confirm a disabled account in ${DESK_DEADLINE_MS} ms (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); catching up every ${Math.round(intervalMs / 1000)} s`);
      outage = true;
      return 'pending';
    } finally {
      clearTimeout(timer);
    }
  }

  /** Disabled accounts the desk still counts as present. */
  async function stillPresent(): Promise<string[]> {
    const rows = await db.select({ id: users.id }).from(users)
      .innerJoin(agentPresence, eq(agentPresence.agentId, users.id))
      .where(and(eq(users.disabled, true), eq(agentPresence.deskId, ctx.config.deskId), ne(agentPresence.status, 'offline')));
    return rows.map((r) => r.id);
  }

  const intervalMs = ctx.config.deskReconcileMs ?? DEFAULT_DESK_RECONCILE_MS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function reconcile(): Promise<void> {
    for (const id of await stillPresent().catch(() => [])) {
      if (stopped || (await tellDesk(id)) === 'pending') return;
    }
  }

  return {
    tellDesk,
    reconcile,
    /** Reconciles now and then every `deskReconcileMs` until `stop`. */
    start(): void {
      const tick = () => {
        running = presence.track(reconcile()).finally(() => { if (!stopped) timer = setTimeout(tick, intervalMs).unref(); });
      };
      tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type DisabledAgents = ReturnType<typeof disabledAgents>;
