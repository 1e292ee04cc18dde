/**
 * Kills parts of the stack with SIGKILL at seeded random moments and starts them again on the same
 * port and data: the worker, an API process, the Temporal dev server (same SQLite file) and
 * PostgreSQL (same data directory). One fault at a time; each part kind the same number of times.
 * On a supervised stack the restart is the supervisor's (`npm start`'s), held for the down time.
 */
import type { PartName, ProcessStack } from '../../../scripts/lib/process-stack.js';
import { errText, sleep } from './clients.js';
import type { Rng } from './rng.js';

export type PartKind = 'worker' | 'api' | 'temporal' | 'postgres';
export const PART_KINDS: PartKind[] = ['worker', 'api', 'temporal', 'postgres'];

/** Milliseconds of [from, to] during which some part was down (outages may overlap each other). */
export function downtimeBetween(from: number, to: number, outages: Array<[number, number]>): number {
  let down = 0;
  let cursor = from;
  for (const [a, b] of [...outages].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(a, cursor);
    const end = Math.min(b, to);
    if (end > start) { down += end - start; cursor = end; }
  }
  return down;
}

export interface KillRecord { part: PartName; at: number; downMs: number; restartMs: number }

export interface ChaosOptions {
  killsPerPart: number;
  gapMs: [number, number];
  downMs: [number, number];
  longTemporalOutages: number;
  longOutageMs: number;
  longOutageWithin: number;
  /** When set, the first kill waits for this instead of a random gap. */
  firstKillAfter?: Promise<void>;
  log(line: string): void;
}

export function chaos(stack: ProcessStack, rng: Rng, opts: ChaosOptions) {
  const kills: KillRecord[] = [];
  /** Parts being killed or restarted right now: the crash monitor leaves them alone. */
  const busy = new Set<string>();
  let stopped = false;
  const apis = stack.parts().filter((p) => p.startsWith('api-'));
  const workers = stack.parts().filter((p) => p.startsWith('worker-'));

  const kinds = rng.shuffle(PART_KINDS.flatMap((k) => Array.from({ length: opts.killsPerPart }, () => k)));
  // The long Temporal outages go to random slots among the first `longOutageWithin` kills.
  const window = Math.min(kinds.length, Math.max(opts.longOutageWithin, opts.longTemporalOutages));
  const longSlots = rng.shuffle(Array.from({ length: window }, (_, i) => i)).slice(0, opts.longTemporalOutages);
  for (const slot of longSlots) {
    if (kinds[slot] === 'temporal') continue;
    const other = kinds.findIndex((k, i) => k === 'temporal' && !longSlots.includes(i));
    if (other >= 0) [kinds[slot], kinds[other]] = [kinds[other], kinds[slot]];
  }
  const plan: PartName[] = kinds.map((k) => (k === 'api' ? rng.pick(apis) : k === 'worker' ? rng.pick(workers) : k));
  const moments = plan.map(() => ({ gap: rng.float(...opts.gapMs), down: rng.float(...opts.downMs) }));
  for (const slot of longSlots) if (plan[slot] === 'temporal') moments[slot].down = opts.longOutageMs;

  /** Starts a part again, retrying a few times (a port may linger briefly after a kill). */
  async function restart(part: PartName): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await stack.restart(part);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        opts.log(`restart of ${part} failed (attempt ${attempt}): ${errText(err).split('\n')[0]}; retrying`);
        await sleep(1_000 * attempt);
      }
    }
  }

  let current = 0;
  async function killAndRestart(part: PartName, downMs: number): Promise<KillRecord> {
    busy.add(part);
    try {
      const pid = stack.pids[part];
      const at = Date.now();
      current = at;
      if (stack.supervised) {
        // npm start's supervisor brings it back, not before the chosen down time.
        const back = await stack.crash(part, downMs);
        const record = { part, at, downMs: back.exitedAt + back.delayMs - at, restartMs: back.upAt! - (back.exitedAt + back.delayMs) };
        opts.log(`SIGKILL ${part} (pid ${pid}) → restarted by the supervisor after ${(record.downMs / 1000).toFixed(1)} s, start took ${(record.restartMs / 1000).toFixed(1)} s (pid ${stack.pids[part]})`);
        return record;
      }
      await stack.kill(part, 'SIGKILL');
      await sleep(downMs);
      const t = Date.now();
      await restart(part);
      const record = { part, at, downMs: t - at, restartMs: Date.now() - t };
      opts.log(`SIGKILL ${part} (pid ${pid}) → down ${(record.downMs / 1000).toFixed(1)} s, restart took ${(record.restartMs / 1000).toFixed(1)} s (pid ${stack.pids[part]})`);
      return record;
    } finally {
      current = 0;
      busy.delete(part);
    }
  }

  const done = (async () => {
    for (let i = 0; i < plan.length && !stopped; i++) {
      if (i === 0 && opts.firstKillAfter) await opts.firstKillAfter;
      else await sleep(moments[i].gap);
      if (stopped) break;
      kills.push(await killAndRestart(plan[i], moments[i].down));
    }
  })();

  return {
    plan,
    /** [from, to] of every outage (kill until serving again), epoch ms; the current one included. */
    outages: () => [...kills.map((k) => [k.at, k.at + k.downMs + k.restartMs] as [number, number]),
        ...(current ? [[current, Date.now()] as [number, number]] : [])],
    /** The plan with each part's downtime, for the log. */
    describe: () => plan.map((p, i) => `${p}${moments[i].down >= 10_000 ? ` (down ${Math.round(moments[i].down / 1000)} s)` : ''}`).join(', '),
    kills,
    busy,
    done,
    restart,
    stop() { stopped = true; },
    perKind(): Record<PartKind, number> {
      const out: Record<PartKind, number> = { worker: 0, api: 0, temporal: 0, postgres: 0 };
      for (const k of kills) out[k.part.startsWith('api-') ? 'api' : k.part.startsWith('worker-') ? 'worker' : (k.part as PartKind)]++;
      return out;
    },
  };
}
export type Chaos = ReturnType<typeof chaos>;
