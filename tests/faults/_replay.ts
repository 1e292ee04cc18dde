import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { workflowsPath } from '../../worker/create-worker.js';
const connection = await Connection.connect({ address: process.argv[2] });
const client = new Client({ connection });
const history = await client.workflow.getHandle(process.argv[3]).fetchHistory();
await connection.close();
try {
  await Worker.runReplayHistory({ workflowsPath }, history, process.argv[3]);
  console.log('replay OK');
} catch (err) {
  console.log('replay FAILED:', (err as Error).message.slice(0, 600));
}
