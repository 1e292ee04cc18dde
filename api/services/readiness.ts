import { sql } from 'drizzle-orm';
import type { ApiContext } from '../context.js';

export type Check = 'ok' | 'down';
export interface Readiness {
  ready: boolean;
  database: Check;
  temporal: Check;
  /** A worker polled Parley's task queue within POLLER_FRESH_MS ('unknown' while Temporal is down). */
  worker: 'ok' | 'none' | 'unknown';
  /** What keeps the desk from serving, in words (empty when ready). */
  missing: string[];
}

/**
 * A worker's long poll lasts up to a minute (the server's long-poll expiry) and the server records a
 * poller when a poll arrives, so a live worker was seen within about 70 s. A worker that died can
 * therefore still count as polling for about that long.
 */
export const POLLER_FRESH_MS = 75_000;
const CHECK_MS = 2_000;
// Temporal API enums (temporal.api.enums.v1), by value: @temporalio/proto is not a direct dependency.
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** /api/health's and /api/ready's checks. Every Temporal call runs under a gRPC deadline, so none lingers in retries. */
export function readinessService(ctx: ApiContext) {
  // Read on each check, not when the routes are built (scripts/openapi.ts builds them without Temporal).
  const connection = () => ctx.temporal.connection;
  const grpc = <T>(run: () => Promise<T>) => connection().withDeadline(Date.now() + CHECK_MS, run);

  const database = (): Promise<Check> => within(CHECK_MS, ctx.database.db.execute(sql`select 1`)).then(() => 'ok', () => 'down');
  const temporal = (): Promise<Check> => grpc(() => connection().workflowService.getSystemInfo({})).then(() => 'ok', () => 'down');

  async function worker(): Promise<Readiness['worker']> {
    try {
      const { pollers } = await grpc(() => connection().workflowService.describeTaskQueue({
        namespace: ctx.config.namespace,
        taskQueue: { name: ctx.config.taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
        taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
      }));
      const seenAfter = Date.now() - POLLER_FRESH_MS;
      const fresh = (pollers ?? []).some((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 > seenAfter);
      return fresh ? 'ok' : 'none';
    } catch {
      return 'unknown';
    }
  }

  let cached: { at: number; value: Readiness } | null = null;
  let running: Promise<Readiness> | null = null;

  async function evaluate(): Promise<Readiness> {
    const [db, tp, wk] = await Promise.all([database(), temporal(), worker()]);
    const missing = [
      ...(db === 'ok' ? [] : ['PostgreSQL is unreachable']),
      ...(tp === 'ok' ? [] : ['Temporal is unreachable']),
      ...(wk === 'ok' ? [] : wk === 'none' ? [`no worker is polling task queue "${ctx.config.taskQueue}"`] : []),
    ];
    return { ready: missing.length === 0, database: db, temporal: tp, worker: wk, missing };
  }

  return {
    /** Both stores answer (no cache: /api/health is for watching them). */
    async health(): Promise<{ temporal: Check; database: Check }> {
      const [temporalState, databaseState] = await Promise.all([temporal(), database()]);
      return { temporal: temporalState, database: databaseState };
    },

    /** Stores and a polling worker; reused for `readyCacheMs` and shared by concurrent callers, so probes stay cheap. */
    async ready(): Promise<Readiness> {
      const maxAge = ctx.config.readyCacheMs ?? 2_000;
      if (cached && Date.now() - cached.at < maxAge) return cached.value;
      running ??= evaluate().then((value) => {
        cached = { at: Date.now(), value };
        return value;
      }).finally(() => { running = null; });
      return running;
    },
  };
}
