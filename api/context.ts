import type { Client } from '@temporalio/client';
import type { Server } from 'socket.io';
import type { Database } from '../db/client.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import type { TokenService } from './auth/tokens.js';
import type { RateLimitConfig } from './http/rate-limit.js';
import type { SocketLimitConfig } from './socket/limits.js';

export interface ApiConfig {
  namespace: string;
  taskQueue: string;
  deskId: string;
  temporalUiUrl: string;
  /** Per-process abuse limits; the defaults of api/http/rate-limit.ts for what is left out. */
  rateLimits?: Partial<RateLimitConfig>;
  /** Sockets open at once per visitor / staff user (per process); the defaults of api/socket/limits.ts for what is left out. */
  socketLimits?: Partial<SocketLimitConfig>;
  /** How often the desk is brought in line with disabled accounts (ms; default 15 s). */
  deskReconcileMs?: number;
  /** Express `trust proxy` (env TRUST_PROXY): needed behind a reverse proxy, or every client shares the proxy's IP limits. */
  trustProxy?: string;
}

/** Everything routes, socket handlers and services share in one API process. */
export interface ApiContext {
  database: Database;
  temporal: Client;
  tokens: TokenService;
  config: ApiConfig;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
}
