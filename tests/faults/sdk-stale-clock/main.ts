/**
 * Minimal reproduction of the clock divergence behind the dispatcher's nondeterminism errors in the
 * fault runs (docs/faults.md): `npx tsx tests/faults/sdk-stale-clock/main.ts`.
 *
 * A worker is SIGKILLed while the workflow waits on a timer; the timer fires, its workflow task times
 * out on the dead worker's sticky queue; a new worker starts while a client keeps querying the
 * workflow. The first task the new worker runs sees Date.now() equal to the start time of the
 * previous task instead of its own (which replay uses). Exit code 1 when the clock was stale.
 * Without the queries the clock is right: the query makes the new worker run the pending events to
 * answer it, outside a workflow task, and cache that state (docs/faults.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../../scripts/lib/ports.js';
import { ensureTemporalCli } from '../../../scripts/lib/temporal-cli.js';
import { startTemporalDevServer } from '../../../scripts/lib/temporal-server.js';
import { roundsQuery } from './workflows.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stale-clock-'));
const server = await startTemporalDevServer({ cliPath: await ensureTemporalCli(), port: await freePort(), dbFile: path.join(dir, 't.sqlite'), detached: true });
const workers: ChildProcess[] = [];
const startWorker = () => new Promise<ChildProcess>((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'worker.ts'), server.address], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  workers.push(child);
  child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('worker polling')) resolve(child); });
});
let stale: boolean;
try {
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const first = await startWorker();
  const handle = await client.workflow.start('clockWorkflow', { taskQueue: 'stale-clock', workflowId: `clock-${Date.now()}` });
  await sleep(1_500); // round 0 done; its activity's completion was a task without commands; the timer runs
  process.kill(-first.pid!, 'SIGKILL');
  let querying = true;
  const queries = (async () => { while (querying) { await handle.query(roundsQuery).catch(() => undefined); await sleep(200); } })();
  await sleep(14_000); // the timer fires; its task times out on the dead worker's sticky queue
  await startWorker();
  const seen = await handle.result();
  querying = false;
  await queries;
  const history = await handle.fetchHistory();
  const starts = history.events!.filter((e) => e.workflowTaskStartedEventAttributes)
    .map((e) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6));
  const after = starts.find((t) => t > seen[0] + 10_000)!; // start of the first task on the new worker
  const iso = (t: number) => new Date(t).toISOString();
  console.log(`first task on the new worker started at ${iso(after)}; its Date.now() was ${iso(seen[1])}`);
  stale = seen[1] !== after;
  console.log(stale ? 'STALE: the first execution saw an older clock than replay will' : 'ok: the clock matched the task start');
  await connection.close();
} finally {
  for (const w of workers) try { process.kill(-w.pid!, 'SIGKILL'); } catch { /* gone */ }
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(stale ? 1 : 0);
