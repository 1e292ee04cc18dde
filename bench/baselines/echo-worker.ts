/**
 * Worker process for the Temporal floors (bench/baselines/echo-workflow.ts): same worker options as
 * Parley's worker (one NativeConnection, maxCachedWorkflows from WORKER_MAX_CACHED_WORKFLOWS,
 * default 2000), own task queue `bench-echo`. Env: DATABASE_URL, TEMPORAL_ADDRESS.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { connectDatabase } from '../../db/client.js';
import { CREATE_TABLES, createEchoActivities } from './echo-activities.js';

export const ECHO_TASK_QUEUE = 'bench-echo';

const database = connectDatabase(process.env.DATABASE_URL!);
await database.pool.query(CREATE_TABLES);
const address = process.env.TEMPORAL_ADDRESS!;
const connection = await NativeConnection.connect({ address });
const clientConnection = await Connection.connect({ address });
const temporal = new Client({ connection: clientConnection, namespace: 'default' });
const worker = await Worker.create({
  connection,
  namespace: 'default',
  taskQueue: ECHO_TASK_QUEUE,
  activities: createEchoActivities({ db: database.db, pool: database.pool, temporal }),
  workflowsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'echo-workflow.ts'),
  maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 2000),
});
console.log('echo worker polling');
await worker.run();
await clientConnection.close();
await connection.close();
await database.close();
