import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Database } from '../db/client.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import { createApp } from './app.js';
import { createTokenService } from './auth/tokens.js';
import type { ApiConfig, ApiContext } from './context.js';
import { conversationService } from './services/conversations.js';
import { presenceService } from './services/presence.js';
import { transferService } from './services/transfers.js';
import { attachSockets } from './socket/index.js';

export interface ApiServerOptions extends ApiConfig {
  database: Database;
  temporalAddress: string;
  secret: string;
}

/** An API process: Express + Socket.IO (Postgres adapter, so events cross API processes) over one Temporal client. */
export async function createApiServer(opts: ApiServerOptions) {
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const temporal = new Client({ connection, namespace: opts.namespace });
  // Express must be the server's request handler before Socket.IO attaches, so engine.io can keep
  // /socket.io requests (long-polling) away from it.
  let app: ReturnType<typeof createApp> | undefined;
  const httpServer = http.createServer((req, res) => {
    if (app) app(req, res);
    else res.writeHead(503).end();
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: '/socket.io',
    adapter: createAdapter(opts.database.pool, { errorHandler: (err) => console.warn('[socket.io adapter]', err.message) }),
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });
  const ctx: ApiContext = {
    database: opts.database,
    temporal,
    tokens: createTokenService(opts.secret),
    config: { namespace: opts.namespace, taskQueue: opts.taskQueue, deskId: opts.deskId, temporalUiUrl: opts.temporalUiUrl, rateLimits: opts.rateLimits },
    io,
  };
  const conversations = conversationService(ctx);
  const presence = presenceService(ctx);
  const transfers = transferService(ctx, conversations, presence);
  app = createApp(ctx, { conversations, presence, transfers });
  attachSockets(io, ctx, { conversations, presence, transfers });

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
      io.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await connection.close();
    },
  };
}
export type ApiServer = Awaited<ReturnType<typeof createApiServer>>;
