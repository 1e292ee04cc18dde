import http from 'node:http';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { Server } from 'socket.io';
import type { Database } from '../db/client.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../domain/contracts/events.js';
import { loadDispatcherSettings } from '../db/settings.js';
import { createApp } from './app.js';
import { sessionCookies } from './auth/session-cookie.js';
import { createTokenService } from './auth/tokens.js';
import { deskClient } from '../activities/desk-client.js';
import { dispatcherWorkflow } from '../activities/workflow-types.js';
import { SocketEmitter } from '../activities/socket-emitter.js';
import { strandedConversations } from '../activities/stranded.js';
import { DEFAULT_HTTP_TIMEOUTS, type ApiConfig, type ApiContext } from './context.js';
import { logFailure } from './http/errors.js';
import { outages } from './http/outages.js';
import { composerService } from './services/composer.js';
import { conversationService } from './services/conversations.js';
import { disabledAgents } from './services/disabled-agents.js';
import { startReconciler } from './services/reconciler.js';
import { presenceService } from './services/presence.js';
import { transferService } from './services/transfers.js';
import { fileService } from './services/files.js';
import { availabilityService } from './services/availability.js';
import { leftMessageService } from './services/left-messages.js';
import { queuedVisitorWatch } from './services/queued-visitors.js';
import { wallboardService } from './services/wallboard.js';
import { visitorRoom } from './socket/visitor.js';
import { databaseStorage } from './files/storage.js';
import { fileLinkSigner } from './files/links.js';
import { DEFAULT_ALLOWED_FILE_TYPES, DEFAULT_FILE_LINK_TTL_SEC, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from '../domain/files.js';
import { createLocalFirstAdapter } from './socket/adapter.js';
import { attachSockets } from './socket/index.js';

import type pg from 'pg';

export interface ApiServerOptions extends ApiConfig {
  database: Database;
  temporalAddress: string;
  secret: string;
  /** How often the stranded-conversation reconciliation runs (one API process per desk runs it); 0: never. Default 60 s. */
  reconcileIntervalMs?: number;
}

/**
 * The pool as the Socket.IO adapter sees it. The adapter holds one client for LISTEN and, when its
 * connection ends (PostgreSQL restarted), takes a new one without ever releasing the dead one: one
 * pool slot leaked per restart until the pool is exhausted. Here the dead client is released.
 */
function listenPool(pool: pg.Pool): pg.Pool {
  return {
    query: pool.query.bind(pool),
    async connect() {
      const client = await pool.connect();
      const release = client.release.bind(client);
      let released = false;
      // Once released, the client may serve another checkout: its end is then none of this wrapper's business.
      const onEnd = () => client.release(true);
      client.release = (err?: Error | boolean) => {
        if (released) return;
        released = true;
        client.off('end', onEnd);
        release(err);
      };
      client.once('end', onEnd);
      return client;
    },
  } as unknown as pg.Pool;
}

/** An API process: Express + Socket.IO (Postgres adapter, so events cross API processes) over one Temporal client. */
export async function createApiServer(opts: ApiServerOptions) {
  // grpc-js backs off reconnecting exponentially up to 120 s: after a Temporal outage of half a
  // minute the API would stay cut off for up to that long. Retry the connection every 2 s at most.
  // A call cut off by close() must not be retried: @temporalio/client would retry it on the closed
  // channel from a timer, where "Channel has been shut down" is thrown uncaught and kills the process.
  // close() also waits for retries already scheduled (e.g. a query the busy dispatcher answered with
  // RESOURCE_EXHAUSTED is retried after about a second).
  let closing = false;
  let retriesUntil = 0;
  const retry = defaultGrpcRetryOptions();
  const connection = await Connection.connect({
    address: opts.temporalAddress,
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
    // Per call, so a call with a deadline (withTemporalDeadline) stops retrying once the next attempt
    // would start past it: it then fails in time instead of sleeping through its deadline first.
    interceptors: [(options, nextCall) => {
      const deadline = options.deadline instanceof Date ? options.deadline.getTime() : typeof options.deadline === 'number' ? options.deadline : Infinity;
      let delay = 0;
      return makeGrpcRetryInterceptor({
        retryableDecider: (attempt, status) => {
          if (closing || !retry.retryableDecider(attempt, status)) return false;
          delay = retry.delayFunction(attempt, status);
          return Date.now() + delay < deadline;
        },
        delayFunction: () => {
          retriesUntil = Math.max(retriesUntil, Date.now() + delay);
          return delay;
        },
      })(options, nextCall);
    }],
  });
  const temporal = new Client({ connection, namespace: opts.namespace });
  // Express must be the server's request handler before Socket.IO attaches, so engine.io can keep
  // /socket.io requests (long-polling) away from it.
  let app: ReturnType<typeof createApp> | undefined;
  // A slow client (headers or body trickling in) cannot hold a connection for minutes: Node answers
  // 408 (clientError below) once the request or its headers take longer than these.
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...opts.http };
  const httpServer = http.createServer({
    requestTimeout: timeouts.requestTimeoutMs,
    headersTimeout: Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs),
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    // How often Node looks for expired requests (default 30 s, longer than the timeouts it enforces).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 4))),
  }, (req, res) => {
    if (app) return void app(req, res);
    const body = JSON.stringify({ error: { code: 'unavailable', message: 'The desk is starting. Please try again in a few seconds.' } });
    res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1' }).end(body);
  });
  // Requests Node refuses before Express sees them (URL/headers over 16 kB, broken HTTP) get the
  // API's JSON error shape too, instead of an empty body.
  httpServer.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, reason, message] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'The URL or headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'The request took too long to arrive']
        : [400, 'Bad Request', 'Malformed HTTP request'];
    const body = JSON.stringify({ error: { code: 'bad_request', message } });
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: '/socket.io',
    adapter: createLocalFirstAdapter(listenPool(opts.database.pool), { errorHandler: (err) => logFailure('[socket.io adapter]', err) }),
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });
  const ctx: ApiContext = {
    database: opts.database,
    temporal,
    tokens: createTokenService(opts.secret),
    sessions: sessionCookies(opts.secret, opts.cookieSecurity),
    config: {
      namespace: opts.namespace, taskQueue: opts.taskQueue, deskId: opts.deskId, temporalUiUrl: opts.temporalUiUrl, rateLimits: opts.rateLimits,
      trustProxy: opts.trustProxy,
      socketLimits: opts.socketLimits, deskReconcileMs: opts.deskReconcileMs,
      loginThrottle: opts.loginThrottle, frameOrigins: opts.frameOrigins, cookieSecurity: opts.cookieSecurity, outbound: opts.outbound,
      outboundMaxResponseBytes: opts.outboundMaxResponseBytes,
      temporalCallTimeoutMs: opts.temporalCallTimeoutMs, http: timeouts, readyCacheMs: opts.readyCacheMs, files: opts.files,
      availability: opts.availability,
      transcriptMail: opts.transcriptMail,
    },
    io,
    desk: deskClient({
      temporal, deskId: opts.deskId, taskQueue: opts.taskQueue, dispatcherWorkflow, loadSettings: () => loadDispatcherSettings(opts.database.db),
    }),
  };
  // While a store is down, these tell the outage log when it is back (api/http/outages.ts).
  const removeProbes = [
    outages.addProbe('database', () => opts.database.pool.query('select 1')),
    outages.addProbe('temporal', () => connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}))),
  ];
  const stranded = strandedConversations({ db: opts.database.db, temporal, emitter: new SocketEmitter(opts.database.pool) });
  const conversations = conversationService(ctx, stranded);
  const reconciler = startReconciler(ctx, stranded, opts.reconcileIntervalMs ?? 60_000);
  const presence = presenceService(ctx);
  const transfers = transferService(ctx, conversations, presence);
  const lockouts = disabledAgents(ctx, presence);
  const files = fileService(ctx, {
    conversations,
    storage: opts.files?.storage ?? databaseStorage(opts.database.db),
    links: fileLinkSigner(opts.secret, opts.files?.linkTtlSec ?? DEFAULT_FILE_LINK_TTL_SEC),
    settings: { maxBytes: DEFAULT_MAX_FILE_BYTES, allowedTypes: DEFAULT_ALLOWED_FILE_TYPES, maxImagePixels: DEFAULT_MAX_IMAGE_PIXELS, ...opts.files?.settings },
  });
  const composer = composerService(ctx, conversations);
  // Issue 19: when nobody can answer.
  const availability = availabilityService(ctx, conversations);
  const leftMessages = leftMessageService(ctx, conversations);
  const queuedVisitors = queuedVisitorWatch(ctx, conversations, visitorRoom);
  const wallboard = wallboardService(ctx, listenPool(opts.database.pool));
  app = createApp(ctx, { conversations, presence, transfers, disabledAgents: lockouts, files, composer, availability, leftMessages, wallboard });
  attachSockets(io, ctx, { conversations, presence, transfers, composer, availability, queuedVisitors });
  availability.start();
  lockouts.start();
  wallboard.start();

  return {
    ctx,
    httpServer,
    io,
    listen(port: number, host?: string): Promise<number> {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const addr = httpServer.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      });
    },
    async close() {
      await lockouts.stop();
      await wallboard.stop();
      availability.stop();
      queuedVisitors.stop();
      await reconciler.stop();
      for (const remove of removeProbes) remove();
      void io.close(); // closes every socket now; the HTTP server's close is awaited below
      // Requests still running get a moment to answer; then their connections are cut so a shutdown ends.
      const cutOff = setTimeout(() => httpServer.closeAllConnections(), 5_000);
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      clearTimeout(cutOff);
      // Disconnect handlers are still signalling the dispatcher: a call cut off by closing the
      // connection is retried by the client on the closed channel, which throws out of a timer.
      await presence.idle();
      closing = true;
      if (retriesUntil > Date.now()) await new Promise((r) => setTimeout(r, retriesUntil - Date.now() + 50));
      await connection.close();
    },
  };
}
export type ApiServer = Awaited<ReturnType<typeof createApiServer>>;
