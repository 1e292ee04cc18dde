import type { Client } from '@temporalio/client';
import type { Server } from 'socket.io';
import type { Database } from '../db/client.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import type { TokenService } from './auth/tokens.js';
import type { RateLimitConfig } from './http/rate-limit.js';

export interface ApiConfig {
  namespace: string;
  taskQueue: string;
  deskId: string;
  temporalUiUrl: string;
  /** Per-process abuse limits; the defaults of api/http/rate-limit.ts for what is left out. */
  rateLimits?: Partial<RateLimitConfig>;
  /** Express `trust proxy` (env TRUST_PROXY): needed behind a reverse proxy, or every client shares the proxy's IP limits. */
  trustProxy?: string;
  /** gRPC deadline of a conversation start and a flow-input signal (env TEMPORAL_CALL_TIMEOUT_MS, default 4000). */
  temporalCallTimeoutMs?: number;
  /** HTTP server timeouts (env HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS). */
  http?: Partial<HttpTimeouts>;
  /** How long /api/ready reuses its last answer (env READY_CACHE_MS, default 2000). */
  readyCacheMs?: number;
}

export interface HttpTimeouts {
  /** Whole request (headers and body) must arrive within this; else 408 and the connection closes. */
  requestTimeoutMs: number;
  /** Headers must arrive within this. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 };

/** Everything routes, socket handlers and services share in one API process. */
export interface ApiContext {
  database: Database;
  temporal: Client;
  tokens: TokenService;
  config: ApiConfig;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
}
