/**
 * Replays `dispatcher-history.json` (the first 24 events of a dispatcher history written by a live
 * worker during a benchmark start, see docs/faults.md) against the current workflow code:
 * `npx tsx tests/faults/sdk-update-race/replay.ts`. Exit code 1 on a nondeterminism error, which
 * this history gives: the worker that wrote it ran the same code, so its cached run had diverged.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { historyFromFile } from '../../replay/history-file.js';

const history = historyFromFile(fs.readFileSync(fileURLToPath(new URL('./dispatcher-history.json', import.meta.url)), 'utf8'));
try {
  await Worker.runReplayHistory({ workflowsPath: fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url)) }, history, 'dispatcher-update-race');
  console.log('replayed without error');
  process.exit(0);
} catch (err) {
  console.log(`replay failed: ${(err as Error).message.slice(0, 300)}`);
  process.exit(1);
}
