/**
 * Node flags for the API process, wherever Parley launches it (scripts/start.ts, the process stack of
 * the benchmark and fault suite; package.json and docker-compose.yml repeat them, checked by
 * tests/unit/node-flags.test.ts).
 *
 * A 64 MB young generation instead of V8's 16 MB: with 1,000 live chats the API then ran 13 minor
 * collections in 90 s instead of 49 and no full collection instead of five (pauses up to 14 ms; up to
 * 108 ms while conversations were opening), and chat p99 fell from 34 to 22 ms (docs/performance.md).
 * Costs up to ~190 MB more resident memory. The worker keeps V8's default: its heap is mostly
 * long-lived cached workflows, and its memory per cached conversation is a benchmark target.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=64'];
