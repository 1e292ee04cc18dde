import type { Client } from '@temporalio/client';
import type { Server } from 'socket.io';
import type { DeskClient } from '../activities/desk-client.js';
import type { Database } from '../db/client.js';
import type { OutboundPolicy } from '../domain/outbound.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../domain/contracts/events.js';
import type { LoginThrottleConfig } from './auth/login-throttle.js';
import type { CookieSecurity, SessionCookies } from './auth/session-cookie.js';
import type { TokenService } from './auth/tokens.js';
import type { RateLimitConfig } from './http/rate-limit.js';
import type { SocketLimitConfig } from './socket/limits.js';
import type { FileStorage } from './files/storage.js';
import type { FileSettings } from './services/files.js';
import type { AvailabilityConfig } from './services/availability.js';
import type { TranscriptMailConfig } from './services/transcripts.js';

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
  /** Failed sign-ins per account and per address; the defaults of api/auth/login-throttle.ts for what is left out. */
  loginThrottle?: Partial<LoginThrottleConfig>;
  /** Who may frame the visitor chat (env VISITOR_FRAME_ORIGINS); default `'self'`. */
  frameOrigins?: string[];
  /** When the staff session cookies are Secure (env COOKIE_SECURE); default `auto`: over HTTPS. */
  cookieSecurity?: CookieSecurity;
  /** Which internal hosts/ranges admins may point webhooks and flow http nodes at (env PARLEY_OUTBOUND_ALLOW); default: none. */
  outbound?: OutboundPolicy;
  /** Largest answer the designer's "call it for real" reads (env PARLEY_OUTBOUND_MAX_RESPONSE_BYTES, as the worker's http node). */
  outboundMaxResponseBytes?: number;
  /** gRPC deadline of a conversation start and a flow-input signal (env TEMPORAL_CALL_TIMEOUT_MS, default 4000). */
  temporalCallTimeoutMs?: number;
  /** HTTP server timeouts (env HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS). */
  http?: Partial<HttpTimeouts>;
  /** How long /api/ready reuses its last answer (env READY_CACHE_MS, default 2000). */
  readyCacheMs?: number;
  /** Files sent in conversations: where they are stored (default: the database), limits, link lifetime (env FILE_*, FILES_*, S3_*). */
  files?: { storage?: FileStorage; settings?: Partial<FileSettings>; linkTtlSec?: number };
  /** Issue 19: channel availability caching and change polling; the defaults of api/services/availability.ts for what is left out. */
  availability?: Partial<AvailabilityConfig>;
  /** Transcript e-mails (issue 19): the operator's SMTP server and limits (env SMTP_URL, SMTP_FROM, TRANSCRIPT_EMAILS_PER_HOUR); off without one. */
  transcriptMail?: TranscriptMailConfig;
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
  sessions: SessionCookies;
  config: ApiConfig;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** The desk's dispatcher workflow (activities/desk-client.ts), started once per process when first needed. */
  desk: DeskClient;
}
