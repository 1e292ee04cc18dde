/**
 * Node flags for the API and worker processes, wherever Parley launches them (scripts/start.ts, the
 * process stack of the benchmark and fault suite; package.json and docker-compose.yml repeat them,
 * checked by tests/unit/node-flags.test.ts).
 */

/**
 * A 64 MB young generation instead of V8's 16 MB: with 1,000 live chats the API then ran 13 minor
 * collections in 90 s instead of 49 and no full collection instead of five (pauses up to 14 ms; up to
 * 108 ms while conversations were opening), and chat p99 fell from 34 to 22 ms (docs/performance.md).
 * Costs up to ~190 MB more resident memory.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=64'];

/**
 * Each full collection of the worker's main thread (the SDK's core bridge and every local activity)
 * held up all conversations' replies for 130–500 ms on two shared cores; the slowest bot replies came in
 * exactly those windows. V8 let the old generation grow only ~10 % past its live size (~83 MB), so one
 * ran every 10–25 s under load; growing it by 50 % spaces them 40–100 s apart (docs/performance.md).
 * Garbage may reach half the live heap before it is collected, which the memory benchmarks include.
 * Not accepted in NODE_OPTIONS: it goes on the command line.
 */
export const WORKER_NODE_FLAGS = ['--heap-growing-percent=50'];

export type NodeApp = 'api' | 'worker';

/** `node` arguments that run a TypeScript entry as `app` runs: its flags, any `extra`, then tsx as the loader. */
export function appNodeArgs(app: NodeApp, entry: string, extra: readonly string[] = []): string[] {
  return [...(app === 'api' ? API_NODE_FLAGS : WORKER_NODE_FLAGS), ...extra, '--import', 'tsx', entry];
}
