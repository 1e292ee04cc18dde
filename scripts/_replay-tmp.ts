import { Connection, Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
async function main() {
  const connection = await Connection.connect({ address: '127.0.0.1:17233' });
  const client = new Client({ connection });
  const history = await client.workflow.getHandle(process.argv[2] ?? 'dispatcher-default').fetchHistory();
  console.log('events', history.events?.length);
  try {
    await Worker.runReplayHistory({ sinks: { dbg: { log: { fn: (_i: unknown, m: string) => { if (/h=(9|10|11)[0-9]/.test(m)) console.log(m); }, callDuringReplay: true } } }, workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname }, history);
    console.log('REPLAY OK');
  } catch (e) { console.log('REPLAY FAIL', (e as Error).message); }
  await connection.close();
}
main();
