import { readEnv } from '../config/env.js';
import { connectDatabase } from '../db/client.js';
import { parseOutboundAllow } from '../domain/outbound.js';
import { createParleyWorker } from './create-worker.js';

/** Production entry point: `npm run worker`. */
const env = readEnv();
const database = connectDatabase(env.DATABASE_URL);
const { worker, close } = await createParleyWorker({
  database,
  temporalAddress: env.TEMPORAL_ADDRESS,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
  shutdownForceMs: env.PARLEY_WORKER_SHUTDOWN_FORCE_MS,
  outbound: {
    policy: parseOutboundAllow(env.PARLEY_OUTBOUND_ALLOW), maxResponseBytes: env.PARLEY_OUTBOUND_MAX_RESPONSE_BYTES,
    ...(env.PARLEY_WEBHOOK_SECRET ? { signingSecret: env.PARLEY_WEBHOOK_SECRET } : {}),
  },
});
console.log(`worker polling task queue "${env.TEMPORAL_TASK_QUEUE}" on ${env.TEMPORAL_ADDRESS}`);
// The SDK shuts the worker down gracefully on SIGINT/SIGTERM.
await worker.run();
await close();
await database.close();
