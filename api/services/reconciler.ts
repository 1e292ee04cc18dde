import type pg from 'pg';
import type { StrandedConversations } from '../../activities/stranded.js';
import type { ApiContext } from '../context.js';

/** A conversation row whose workflow does not exist yet is left alone this long (its start may be on the way). */
const MISSING_GRACE_MS = 60_000;
/** The desk may still hold a conversation this long after it closed (its own release is on the way). */
const HELD_GRACE_MS = 30_000;

/**
 * Runs the stranded-conversation reconciliation (activities/stranded.ts) every `intervalMs`, in exactly
 * one API process per desk: the one holding a PostgreSQL session advisory lock keyed by the desk id.
 * Why here and not in Temporal (a schedule, a reconciler workflow): it must keep working when what it
 * repairs is Temporal's side, it needs no workflow code to keep replay-compatible, and a session lock
 * moves to another API process by itself when the holder dies (its connection closes). Every API
 * process starts it, so it survives restarts of any of them.
 */
export function startReconciler(ctx: ApiContext, stranded: StrandedConversations, intervalMs: number) {
  const { pool } = ctx.database;
  const lockKey = `parley:reconciler:${ctx.config.deskId}`;
  let leader: pg.PoolClient | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;
  let pass: Promise<void> = Promise.resolve();

  function resign() {
    leader?.release(true); // destroys the connection, which ends the session and its lock
    leader = null;
  }

  async function lead(): Promise<boolean> {
    if (leader) {
      try {
        await leader.query('select 1');
        return true;
      } catch {
        resign();
      }
    }
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [lockKey]);
      if (rows[0]?.ok) {
        leader = client;
        return true;
      }
    } catch (err) {
      client.release(true);
      throw err;
    }
    client.release();
    return false;
  }

  async function runOnce(): Promise<void> {
    try {
      if (!(await lead())) return;
      const { released } = await stranded.reconcile({
        deskId: ctx.config.deskId, taskQueue: ctx.config.taskQueue, missingGraceMs: MISSING_GRACE_MS, heldGraceMs: HELD_GRACE_MS,
      });
      if (released.length) console.warn(`[reconciler] released ${released.length} closed conversation(s) the desk still held`);
      if (failing) console.warn('[reconciler] passes succeed again');
      failing = false;
    } catch (err) {
      // Once per outage, not once per pass.
      if (!failing) console.warn('[reconciler] pass failed (retried every interval):', err instanceof Error ? err.message : err);
      failing = true;
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = runOnce().finally(schedule);
    }, intervalMs);
    timer.unref();
  }
  if (intervalMs > 0) schedule();

  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await pass;
      resign();
    },
  };
}
