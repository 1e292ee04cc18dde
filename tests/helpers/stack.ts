import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase, type Database } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { saveDispatcherSettings } from '../../db/settings.js';
import { flowVersions } from '../../db/schema.js';
import { seedIfEmpty } from '../../api/seed.js';
import { createApiServer, type ApiServer } from '../../api/server.js';
import type { RateLimitConfig } from '../../api/http/rate-limit.js';
import type { SocketLimitConfig } from '../../api/socket/limits.js';
import type { LoginThrottleConfig } from '../../api/auth/login-throttle.js';
import type { ApiConfig } from '../../api/context.js';
import { createParleyWorker } from '../../worker/create-worker.js';
import { DEFAULT_DISPATCHER_SETTINGS, type DispatcherSettings } from '../../domain/desk/state.js';
import type { FlowDefinitionInput } from '../../domain/flow/schema.js';
import { DEFAULT_FLOW } from '../../domain/flow/default-flow.js';
import { DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES, parseOutboundAllow } from '../../domain/outbound.js';

export const TEST_PASSWORD = 'correct horse battery staple';
export const SECRET = 'test-secret-test-secret-test-secret';
/** High enough that no test other than the rate-limit one ever meets them. */
export const TEST_RATE_LIMITS: RateLimitConfig = {
  conversationsPerMinute: 100_000, messagesPer10s: 100_000, staffEventsPer10s: 100_000, signalsPer10s: 100_000, availabilityReadsPerMinute: 100_000,
};
/**
 * Issue 19 made a hand-off with nobody signed in offer to leave a message (docs/flows.md). Tests of other
 * features hand off before any agent is online and expect a place in the queue, as Parley did before: their
 * flows say so (`queue` when nobody is online). The offline tests ask for the product's defaults.
 */
export function queueWhenNobodyOnline(flow: FlowDefinitionInput): FlowDefinitionInput {
  return { ...flow, settings: { ...flow.settings, offline: { whenNobodyOnline: 'queue', ...flow.settings?.offline } } };
}

export const TEST_LOGIN_THROTTLE: LoginThrottleConfig = { failuresPerAccount: 100_000, failuresPerAddress: 100_000, windowMs: 60_000 };

export interface StackOptions {
  routing?: Partial<DispatcherSettings>;
  /** Replaces the seeded default flow (published as version 2 of flow `default`). */
  flow?: FlowDefinitionInput;
  /** Issue 19: keep the product's "leave a message when nobody is online" in the stack's flow (else: queueWhenNobodyOnline). */
  productOfflineDefaults?: boolean;
  apiProcesses?: number;
  /** API abuse limits; tests get generous ones (TEST_RATE_LIMITS) unless they set their own. */
  rateLimits?: Partial<RateLimitConfig>;
  /** Open sockets per visitor / staff user (per API process); the API's defaults unless set. */
  socketLimits?: Partial<SocketLimitConfig>;
  /** How often each API process catches the desk up with disabled accounts (ms). */
  deskReconcileMs?: number;
  /** Temporal address the API processes use (e.g. a proxy a test can cut); the worker keeps the shared server's. */
  apiTemporalAddress?: string;
  /** Login throttling (TEST_LOGIN_THROTTLE unless set), trust proxy, frame origins, cookie security of the API processes. */
  api?: Pick<ApiConfig, 'loginThrottle' | 'trustProxy' | 'frameOrigins' | 'cookieSecurity' | 'files' | 'availability' | 'transcriptMail'>;
  /** Interval of the API's stranded-conversation reconciliation (api/services/reconciler.ts); the production default unless set. */
  reconcileIntervalMs?: number;
  /**
   * The operator's outbound allow-list (PARLEY_OUTBOUND_ALLOW syntax) for the API and the worker. Default:
   * none, like production: webhooks and http nodes may not call 127.0.0.1, so tests with a local hook server name it.
   */
  outboundAllow?: string;
  /** The worker's PARLEY_WEBHOOK_SECRET (signs the assignment webhook's requests). */
  webhookSecret?: string;
  /** Shared servers to use instead of the ones vitest's globalSetup provides (scripts outside vitest). */
  infra?: StackInfra;
}

export interface StackInfra {
  temporalAddress: string;
  /** Admin URL of a PostgreSQL cluster where test databases may be created. */
  databaseUrl: string;
  /** Prebuilt workflow bundle; '' bundles workflows/index.ts when the worker starts. */
  workflowBundlePath: string;
}

/** Creates an empty database on the shared test PostgreSQL and returns its URL. */
export async function createTestDatabase(adminUrl: string = inject('databaseUrl')): Promise<string> {
  const name = `parley_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A complete Parley desk for one test file: its own database, task queue and desk id on the run's
 * shared Temporal dev server, a real worker and real API server(s) on free ports.
 */
export async function startStack(opts: StackOptions = {}) {
  const infra = opts.infra ?? { temporalAddress: inject('temporalAddress'), databaseUrl: inject('databaseUrl'), workflowBundlePath: inject('workflowBundlePath') };
  const { temporalAddress } = infra;
  const databaseUrl = await createTestDatabase(infra.databaseUrl);
  const database = connectDatabase(databaseUrl, 20);
  await runMigrations(database.db);
  await seedIfEmpty(database.db, TEST_PASSWORD, opts.productOfflineDefaults ? DEFAULT_FLOW : queueWhenNobodyOnline(DEFAULT_FLOW));
  if (opts.routing) await saveDispatcherSettings(database.db, { ...DEFAULT_DISPATCHER_SETTINGS, ...opts.routing });
  if (opts.flow) await database.db.insert(flowVersions).values({ flowId: 'default', version: 2, definition: opts.productOfflineDefaults ? opts.flow : queueWhenNobodyOnline(opts.flow) });
  const suffix = randomUUID().slice(0, 8);
  const taskQueue = `parley-test-${suffix}`;
  const deskId = `desk-${suffix}`;

  const outboundPolicy = parseOutboundAllow(opts.outboundAllow ?? '');
  const startWorker = async () => {
    const w = await createParleyWorker({
      database, temporalAddress, namespace: 'default', taskQueue,
      outbound: {
        policy: outboundPolicy, maxResponseBytes: DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES, ...(opts.webhookSecret ? { signingSecret: opts.webhookSecret } : {}),
      },
      ...(infra.workflowBundlePath ? { workflowBundle: { codePath: infra.workflowBundlePath } } : {}),
    });
    const running = w.worker.run();
    return { ...w, running, async stop() { w.worker.shutdown(); await running; await w.close(); } };
  };
  let worker = await startWorker();
  let workerStopped = false;

  const apis: ApiServer[] = [];
  const ports: number[] = [];
  for (let i = 0; i < (opts.apiProcesses ?? 1); i++) {
    const api = await createApiServer({
      database, temporalAddress: opts.apiTemporalAddress ?? temporalAddress, namespace: 'default', taskQueue, deskId, temporalUiUrl: 'http://localhost:8233', secret: SECRET,
      rateLimits: { ...TEST_RATE_LIMITS, ...opts.rateLimits }, socketLimits: opts.socketLimits, deskReconcileMs: opts.deskReconcileMs, outbound: outboundPolicy,
      ...opts.api,
      loginThrottle: { ...TEST_LOGIN_THROTTLE, ...opts.api?.loginThrottle },
      ...(opts.reconcileIntervalMs !== undefined ? { reconcileIntervalMs: opts.reconcileIntervalMs } : {}),
    });
    ports.push(await api.listen(0, '127.0.0.1'));
    apis.push(api);
  }
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection, namespace: 'default' });

  return {
    baseUrl: `http://127.0.0.1:${ports[0]}`,
    baseUrls: ports.map((p) => `http://127.0.0.1:${p}`),
    database,
    databaseUrl,
    temporal,
    taskQueue,
    deskId,
    apis,
    get worker() { return worker; },
    /** Stops the worker (like a crash or deploy) and starts a fresh one on the same task queue. */
    async restartWorker() {
      await worker.stop();
      worker = await startWorker();
    },
    /** Stops the worker and leaves the desk without one (a crashed worker nobody restarted yet) until resumeWorker(). */
    async stopWorker() {
      await worker.stop();
      workerStopped = true;
    },
    async resumeWorker() {
      worker = await startWorker();
      workerStopped = false;
    },
    async stop() {
      await reportSlow('the API servers closing', Promise.allSettled(apis.map((a) => a.close())));
      if (!workerStopped) await reportSlow('the worker shutting down', worker.stop().catch(() => undefined));
      await reportSlow('the Temporal client connection closing', connection.close());
      await reportSlow('the PostgreSQL pool ending (a client still checked out?)', database.close());
    },
  };
}
/** Names a teardown step that takes long, so a hung hook says which part hung. */
async function reportSlow<T>(step: string, work: Promise<T>, afterMs = 15_000): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => console.warn(`[stack] ${step} has taken ${Math.round((Date.now() - started) / 1000)} s`), afterMs);
  try { return await work; } finally { clearInterval(timer); }
}
export type Stack = Awaited<ReturnType<typeof startStack>>;
export type { Database };
