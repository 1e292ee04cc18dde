/**
 * "PostgreSQL / Temporal is unreachable", said once per outage: the first failure is logged, further
 * failures are counted (a reminder at most once a minute), and recovery is logged with the count.
 * While a store is down a probe (registered by each API server) checks every couple of seconds
 * whether it is back. Without this, an outage printed a stack trace per request and per pooled client.
 */
export type Dependency = 'database' | 'temporal';

const NAMES: Record<Dependency, string> = { database: 'PostgreSQL', temporal: 'Temporal' };

interface Outage { since: number; failures: number; lastNotice: number; lastFailure: number; timer: NodeJS.Timeout | null }

export interface OutageLogOptions {
  log?: (line: string) => void;
  now?: () => number;
  probeEveryMs?: number;
  stillDownEveryMs?: number;
}

/** The deepest message of an error chain (pg's own text, not drizzle's "Failed query: …" wrapper). */
function rootMessage(err: unknown): string {
  let e = err;
  for (let i = 0; i < 6 && (e as { cause?: unknown })?.cause; i++) e = (e as { cause?: unknown }).cause;
  const text = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e);
  return text.split('\n')[0].slice(0, 200);
}

export function outageLog(opts: OutageLogOptions = {}) {
  const log = opts.log ?? ((line: string) => console.warn(line));
  const now = opts.now ?? Date.now;
  const probeEveryMs = opts.probeEveryMs ?? 2_000;
  const stillDownEveryMs = opts.stillDownEveryMs ?? 60_000;
  const current = new Map<Dependency, Outage>();
  const probes = new Map<Dependency, Set<() => Promise<unknown>>>();
  const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

  async function probe(dep: Dependency): Promise<void> {
    const outage = current.get(dep);
    if (!outage) return;
    outage.timer = null;
    const registered = [...(probes.get(dep) ?? [])];
    // Without a probe (a process that registered none) no news for a while counts as recovered.
    const back = registered.length === 0
      ? now() - outage.lastFailure > 10 * probeEveryMs
      : (await Promise.allSettled(registered.map((p) => p()))).some((r) => r.status === 'fulfilled');
    if (back) return recovered(dep);
    if (current.get(dep) === outage) outage.timer = setTimeout(() => void probe(dep), probeEveryMs).unref();
  }

  function recovered(dep: Dependency): void {
    const outage = current.get(dep);
    if (!outage) return;
    current.delete(dep);
    if (outage.timer) clearTimeout(outage.timer);
    log(`[api] ${NAMES[dep]} is reachable again after ${secs(now() - outage.since)}`);
  }

  return {
    /** A request or background task failed because `dep` is unreachable. */
    report(dep: Dependency, err: unknown): void {
      const outage = current.get(dep);
      const t = now();
      if (!outage) {
        log(`[api] ${NAMES[dep]} is unreachable (${rootMessage(err)}); answering 503 / "unavailable" until it is back`);
        const fresh: Outage = { since: t, failures: 0, lastNotice: t, lastFailure: t, timer: null };
        current.set(dep, fresh);
        fresh.timer = setTimeout(() => void probe(dep), probeEveryMs).unref();
        return;
      }
      outage.failures++;
      outage.lastFailure = t;
      if (t - outage.lastNotice >= stillDownEveryMs) {
        log(`[api] ${NAMES[dep]} still unreachable after ${secs(t - outage.since)} (${outage.failures} failures since the last notice)`);
        outage.lastNotice = t;
        outage.failures = 0;
      }
    },
    isDown: (dep: Dependency) => current.has(dep),
    recovered,
    /** A cheap call that succeeds once `dep` is back; returns the function that removes it. */
    addProbe(dep: Dependency, check: () => Promise<unknown>): () => void {
      const set = probes.get(dep) ?? new Set();
      probes.set(dep, set);
      set.add(check);
      return () => void set.delete(check);
    },
  };
}
export type OutageLog = ReturnType<typeof outageLog>;

/** The API process's outage log (shared by every server in the process, e.g. tests with two APIs). */
export const outages = outageLog();
