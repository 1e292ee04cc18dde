import type { Db } from '../db/client.js';
import { agentsServing, medianServiceSec } from '../db/service-times.js';
import { estimateWaitSec } from '../domain/conversation/estimated-wait.js';

/** Issue 19: recent service times are read at most this often per process (they move slowly; env WAIT_STATS_CACHE_MS). */
export const WAIT_STATS_CACHE_MS = 30_000;
/** The window of recent service times: the last 7 days (env WAIT_STATS_WINDOW_SEC in the worker). */
export const DEFAULT_WAIT_STATS_WINDOW_SEC = 7 * 24 * 3600;

/**
 * The queue's estimated wait (docs/routing.md, "Estimated wait"): the position times the median service
 * time of the window, over the number of agents serving. Best effort: a failed read is "unknown".
 */
export function waitEstimator(db: Db, opts: { windowSec?: number; cacheMs?: number } = {}) {
  const windowSec = opts.windowSec ?? Number(process.env.WAIT_STATS_WINDOW_SEC ?? DEFAULT_WAIT_STATS_WINDOW_SEC);
  const cacheMs = opts.cacheMs ?? Number(process.env.WAIT_STATS_CACHE_MS ?? WAIT_STATS_CACHE_MS);
  let cached: { at: number; stats: Promise<{ serviceSec: number | null; serving: number }> } | null = null;
  const stats = () => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.stats;
    const read = Promise.all([medianServiceSec(db, windowSec), agentsServing(db, null)]).then(([serviceSec, serving]) => ({ serviceSec, serving }));
    cached = { at: Date.now(), stats: read };
    read.catch(() => { cached = null; });
    return read;
  };
  return {
    async estimate(position: number | null): Promise<number | null> {
      if (position === null || position < 1) return null;
      try {
        const { serviceSec, serving } = await stats();
        return estimateWaitSec(position, serviceSec, serving);
      } catch {
        return null;
      }
    },
  };
}

export type WaitEstimator = ReturnType<typeof waitEstimator>;
