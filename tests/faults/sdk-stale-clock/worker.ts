import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';

const connection = await NativeConnection.connect({ address: process.argv[2] });
const worker = await Worker.create({
  connection, taskQueue: 'stale-clock', workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  activities: { async note(n: number) { return n; } },
});
console.log('worker polling');
await worker.run();
