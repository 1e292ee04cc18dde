/**
 * Keeps one child running: when it exits without being asked to, it is started again after a backoff
 * that doubles with each quick failure (capped) and starts over once the child stayed up for a while.
 * `npm start` supervises Temporal, PostgreSQL, the worker and the API this way, and the fault suite's
 * process stack uses the same code (`startProcessStack({ supervise })`).
 *
 *   const worker = supervise('worker', async () => spawnSomething(), { log });
 *   await worker.firstStart;     // rejects if the very first start fails (a configuration error)
 *   ...
 *   await worker.stop();         // no restart after this; stops the child
 */
export interface SupervisedRun {
  pid: number | null;
  /** Resolves with a description ("signal SIGKILL", "exit code 1") once the child has exited. */
  exited: Promise<string>;
  /** Stops the child on purpose (graceful, then forced). */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  /** First restart delay (default 500 ms); doubled after each restart, up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  /** Longest delay between restarts (default 30 s). */
  maxBackoffMs?: number;
  /** A child that ran this long without exiting counts as healthy: the next restart is quick again (default 60 s). */
  resetAfterMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_SUPERVISOR_OPTIONS: Required<Omit<SupervisorOptions, 'log'>> = { initialBackoffMs: 500, maxBackoffMs: 30_000, resetAfterMs: 60_000 };

export interface RestartRecord { name: string; exitedAt: number; how: string; delayMs: number; upAt: number | null }

export function supervise(name: string, start: () => Promise<SupervisedRun>, opts: SupervisorOptions = {}) {
  const { initialBackoffMs, maxBackoffMs, resetAfterMs } = { ...DEFAULT_SUPERVISOR_OPTIONS, ...opts };
  const log = opts.log ?? ((line: string) => console.log(line));
  let current: SupervisedRun | null = null;
  let stopping = false;
  let holdUntil = 0;
  let wakeSleep: (() => void) | null = null;
  let upWaiters: Array<() => void> = [];
  const restarts: RestartRecord[] = [];
  const listeners: Array<(r: RestartRecord) => void> = [];

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { wakeSleep = null; resolve(); }, ms);
    wakeSleep = () => { clearTimeout(timer); wakeSleep = null; resolve(); };
  });
  const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

  const markUp = (run: SupervisedRun) => {
    current = run;
    log(`${name} running (pid ${run.pid ?? '?'})`);
    for (const w of upWaiters.splice(0)) w();
  };

  let resolveFirst!: () => void;
  let rejectFirst!: (err: unknown) => void;
  const firstStart = new Promise<void>((resolve, reject) => { resolveFirst = resolve; rejectFirst = reject; });

  const done = (async () => {
    try {
      markUp(await start());
      resolveFirst();
    } catch (err) {
      stopping = true;
      rejectFirst(err);
      return;
    }
    let delay = initialBackoffMs;
    for (;;) {
      const run = current!;
      if (stopping) { await run.stop(); return; }
      const startedAt = Date.now();
      const how = await run.exited;
      current = null;
      if (stopping) return;
      if (Date.now() - startedAt >= resetAfterMs) delay = initialBackoffMs;
      const record: RestartRecord = { name, exitedAt: Date.now(), how, delayMs: Math.max(delay, holdUntil - Date.now()), upAt: null };
      restarts.push(record);
      log(`${name} exited unexpectedly (${how}) after ${secs(Date.now() - startedAt)}; restarting in ${secs(record.delayMs)} (restart ${restarts.length})`);
      // Started again until it takes; each failed attempt waits longer.
      for (;;) {
        await sleep(Math.max(delay, holdUntil - Date.now()));
        delay = Math.min(maxBackoffMs, delay * 2);
        if (stopping) return;
        try {
          const next = await start();
          if (stopping) { await next.stop(); return; }
          record.upAt = Date.now();
          markUp(next);
          for (const l of [...listeners]) l(record);
          break;
        } catch (err) {
          log(`${name} failed to start: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}; next attempt in ${secs(delay)}`);
        }
      }
    }
  })();

  return {
    name,
    firstStart,
    /** Every unexpected exit, with when the child was running again. */
    restarts,
    get pid(): number | null { return current?.pid ?? null; },
    get running(): boolean { return current !== null; },
    /** Resolves once the child runs (now, or after the restart under way). */
    whenUp(): Promise<void> {
      return current ? Promise.resolve() : new Promise((resolve) => upWaiters.push(resolve));
    },
    /** Called after each successful restart. */
    onRestart(listener: (r: RestartRecord) => void): void { listeners.push(listener); },
    /** Resolves when the child is running again after its next unexpected exit. */
    nextRestart(): Promise<RestartRecord> {
      return new Promise((resolve) => {
        const once = (r: RestartRecord) => { listeners.splice(listeners.indexOf(once), 1); resolve(r); };
        listeners.push(once);
      });
    },
    /** The next restart waits at least `ms` from now (the fault suite's long outages). */
    holdNextStart(ms: number): void { holdUntil = Date.now() + ms; },
    /** Stops supervising (no more restarts) and stops the child. */
    async stop(): Promise<void> {
      stopping = true;
      wakeSleep?.();
      const run = current;
      if (run) await run.stop();
      await done;
      upWaiters = [];
    },
  };
}
export type Supervised = ReturnType<typeof supervise>;
