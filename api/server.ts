import http from 'node:http';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { Server } from 'socket.io';
import type pg from 'pg';
import type { Database } from '../db/client.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import { createApp } from './app.js';
import { sessionCookies } from './auth/session-cookie.js';
import { createTokenService } from './auth/tokens.js';
import type { ApiConfig, ApiContext } from './context.js';
import { SocketEmitter } from '../activities/socket-emitter.js';
import { strandedConversations } from '../activities/stranded.js';
import { conversationService } from './services/conversations.js';
import { disabledAgents } from './services/disabled-agents.js';
import { startReconciler } from './services/reconciler.js';
import { presenceService } from './services/presence.js';
import { transferService } from './services/transfers.js';
import { createLocalFirstAdapter } from './socket/adapter.js';
import { attachSockets } from './socket/index.js';

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
      client.release = (err?: Error | boolean) => { if (!released) { released = true; release(err); } };
      client.once('end', () => client.release(true));
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
    interceptors: [makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => !closing && retry.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const ms = retry.delayFunction(attempt, status);
        retriesUntil = Math.max(retriesUntil, Date.now() + ms);
        return ms;
      },
    })],
  });
  const temporal = new Client({ connection, namespace: opts.namespace });
  // Express must be the server's request handler before Socket.IO attaches, so engine.io can keep
  // /socket.io requests (long-polling) away from it.
  let app: ReturnType<typeof createApp> | undefined;
  const httpServer = http.createServer((req, res) => {
    if (app) app(req, res);
    else res.writeHead(503).end();
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
    adapter: createLocalFirstAdapter(listenPool(opts.database.pool), { errorHandler: (err) => console.warn('[socket.io adapter]', err.message) }),
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });
  const ctx: ApiContext = {
    database: opts.database,
    temporal,
    tokens: createTokenService(opts.secret),
    sessions: sessionCookies(opts.secret, opts.cookieSecurity),
    config: {
      namespace: opts.namespace, taskQueue: opts.taskQueue, deskId: opts.deskId, temporalUiUrl: opts.temporalUiUrl, rateLimits: opts.rateLimits, trustProxy: opts.trustProxy,
      socketLimits: opts.socketLimits, deskReconcileMs: opts.deskReconcileMs,
      loginThrottle: opts.loginThrottle, frameOrigins: opts.frameOrigins, cookieSecurity: opts.cookieSecurity, outbound: opts.outbound,
    },
    io,
  };
  const stranded = strandedConversations({ db: opts.database.db, temporal, emitter: new SocketEmitter(opts.database.pool) });
  const conversations = conversationService(ctx, stranded);
  const reconciler = startReconciler(ctx, stranded, opts.reconcileIntervalMs ?? 60_000);
  const presence = presenceService(ctx);
  const transfers = transferService(ctx, conversations, presence);
  const lockouts = disabledAgents(ctx, presence);
  app = createApp(ctx, { conversations, presence, transfers, disabledAgents: lockouts });
  attachSockets(io, ctx, { conversations, presence, transfers });
  lockouts.start();

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
      await reconciler.stop();
      io.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
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
