import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { dispatcherWorkflow } from '../activities/workflow-types.js';
import type { Database } from '../db/client.js';
import { SocketEmitter } from '../activities/socket-emitter.js';
import { loadDispatcherSettings } from '../db/settings.js';
import { STRICT_OUTBOUND, type OutboundConfig } from '../activities/outbound-http.js';

export const workflowsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'workflows', 'index.ts');

export interface ParleyWorkerOptions {
  database: Database;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** Pre-bundled workflow code (tests bundle once); otherwise bundled from workflows/index.ts. */
  workflowBundle?: { codePath: string };
  maxCachedWorkflows?: number;
  /** Outbound calls' policy and answer limit (env PARLEY_OUTBOUND_ALLOW, PARLEY_OUTBOUND_MAX_RESPONSE_BYTES); default: public addresses only. */
  outbound?: OutboundConfig;
  /** How long a shutdown may wait for work in flight before the worker gives up on it (env PARLEY_WORKER_SHUTDOWN_FORCE_MS); default 30 s. */
  shutdownForceMs?: number;
}

/** A deploy or restart must end even if an activity ignores its cancellation; the server retries what was cut off. */
export const DEFAULT_SHUTDOWN_FORCE_MS = 30_000;

/** A worker running Parley's workflows and activities, plus the connections it owns. */
export async function createParleyWorker(opts: ParleyWorkerOptions) {
  const connection = await NativeConnection.connect({ address: opts.temporalAddress });
  // Reconnect within 2 s after a Temporal outage (grpc-js otherwise backs off up to 120 s).
  const clientConnection = await Connection.connect({
    address: opts.temporalAddress,
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
  });
  const temporal = new Client({ connection: clientConnection, namespace: opts.namespace });
  const emitter = new SocketEmitter(opts.database.pool);
  const activities = createActivities({
    db: opts.database.db,
    emitter,
    temporal,
    taskQueue: opts.taskQueue,
    loadDispatcherSettings: () => loadDispatcherSettings(opts.database.db),
    dispatcherWorkflow,
    outbound: opts.outbound ?? STRICT_OUTBOUND,
  });
  const workerOptions: WorkerOptions = {
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities,
    maxCachedWorkflows: opts.maxCachedWorkflows ?? 2000,
    shutdownForceTime: opts.shutdownForceMs ?? DEFAULT_SHUTDOWN_FORCE_MS,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
  };
  const worker = await Worker.create(workerOptions);
  return {
    worker,
    async close() {
      await clientConnection.close();
      await connection.close();
    },
  };
}
