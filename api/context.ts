import type { Client } from '@temporalio/client';
import type { Server } from 'socket.io';
import type { Database } from '../db/client.js';
import type { OutboundPolicy } from '../shared/outbound.js';
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
  /** Which internal hosts/ranges admins may point webhooks and flow http nodes at (env PARLEY_OUTBOUND_ALLOW); default: none. */
  outbound?: OutboundPolicy;
}

/** Everything routes, socket handlers and services share in one API process. */
export interface ApiContext {
  database: Database;
  temporal: Client;
  tokens: TokenService;
  config: ApiConfig;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
}
