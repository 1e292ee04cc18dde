import { z } from 'zod';
import { DEFAULT_LOGIN_THROTTLE } from '../api/auth/login-throttle.js';
import { FRAME_ORIGIN, parseFrameOrigins } from '../api/http/frame-origins.js';
import { DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES, parseOutboundAllow } from '../domain/outbound.js';
import { DEFAULT_ALLOWED_FILE_TYPES, DEFAULT_FILE_LINK_TTL_SEC, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from '../domain/files.js';

/** Environment shared by the API and the worker (see the README's configuration table). */
const EnvSchema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('parley'),
  TEMPORAL_UI_URL: z.string().default('http://localhost:8233'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PARLEY_SECRET: z.string().min(16, 'PARLEY_SECRET must be at least 16 characters'),
  PARLEY_DESK_ID: z.string().regex(/^[a-z0-9-]+$/).default('default'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(2000),
  PARLEY_WORKER_SHUTDOWN_FORCE_MS: z.coerce.number().int().positive().default(30_000),
  /** Comma-separated list; empty allows same-origin only. */
  CORS_ORIGINS: z.string().default(''),
  /** Visitor sessions and conversation starts per minute, per client IP and per visitor (per API process). */
  RATE_LIMIT_CONVERSATIONS_PER_MIN: z.coerce.number().int().positive().default(10),
  /** Visitor messages per 10 seconds, per visitor (per API process; REST and socket counted separately). */
  RATE_LIMIT_MESSAGES_PER_10S: z.coerce.number().int().positive().default(20),
  /** Socket events per 10 seconds, per staff user (per API process, across the user's sockets). */
  RATE_LIMIT_STAFF_EVENTS_PER_10S: z.coerce.number().int().positive().default(100),
  /** Typing and read-receipt socket events per 10 seconds, per visitor or staff user (per API process); apart from the budgets above. */
  RATE_LIMIT_SIGNALS_PER_10S: z.coerce.number().int().positive().default(30),
  /** Sockets open at once per visitor (per API process); more are refused at the handshake. */
  SOCKETS_PER_VISITOR: z.coerce.number().int().positive().default(10),
  /** Sockets open at once per staff user (per API process); more are refused at the handshake. */
  SOCKETS_PER_STAFF_USER: z.coerce.number().int().positive().default(10),
  /** Seconds between the API's checks that the desk knows every disabled account is offline (catch-up after a Temporal outage). */
  DESK_RECONCILE_SEC: z.coerce.number().int().min(1).max(3600).default(15),
  /**
   * Behind a reverse proxy: which X-Forwarded-For hops to believe for the client IP (Express `trust proxy`: true, a hop count,
   * loopback, CIDRs). Empty: none.
   */
  TRUST_PROXY: z.string().default(''),
  /** Failed sign-ins per account (whatever the address) in the window before it answers 429 (per API process). */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(DEFAULT_LOGIN_THROTTLE.failuresPerAccount),
  /** Failed sign-ins per client address (IPv6: per /64), whatever the account, in the window (per API process). */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(DEFAULT_LOGIN_THROTTLE.failuresPerAddress),
  /** The sliding window of the two limits above, in seconds. */
  LOGIN_FAILURE_WINDOW_SEC: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_LOGIN_THROTTLE.windowMs / 1000),
  /** Origins allowed to frame the visitor chat (CSP frame-ancestors), comma- or space-separated; empty: 'self'. */
  VISITOR_FRAME_ORIGINS: z.string().default('').transform(parseFrameOrigins)
    .refine((list) => list.every((o) => FRAME_ORIGIN.test(o)), { message: "each entry must be 'self' or an origin like https://shop.example.com (no path)" })
    .refine((list) => !list.includes("'none'") || list.length === 1, { message: "'none' cannot be combined with origins" }),
  /** Staff session cookies: Secure over HTTPS only (auto; behind a TLS proxy set TRUST_PROXY), or always. */
  COOKIE_SECURE: z.enum(['auto', 'always']).default('auto'),
  /** Seconds between passes that end conversations whose workflow stopped and free what the desk held for them; 0 turns it off. */
  RECONCILE_INTERVAL_SEC: z.coerce.number().min(0).max(86_400).refine((v) => v === 0 || v >= 5, 'RECONCILE_INTERVAL_SEC: 0 (off) or at least 5').default(60),
  /**
   * Hosts, IP addresses and CIDR ranges outbound calls (assignment webhook, flow http nodes) may reach
   * although they are internal (loopback, private, link-local, …), comma-separated. Empty: public only.
   */
  PARLEY_OUTBOUND_ALLOW: z.string().default('').superRefine((value, ctx) => {
    try {
      parseOutboundAllow(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    }
  }),
  /** Key that signs the assignment webhook's requests (X-Parley-Signature, HMAC-SHA256); unsigned when unset. */
  PARLEY_WEBHOOK_SECRET: z.string().min(16, 'PARLEY_WEBHOOK_SECRET must be at least 16 characters').optional(),
  /** Largest answer body an outbound call reads (bytes). */
  PARLEY_OUTBOUND_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES),
  /** gRPC deadline (ms) of a conversation start and a flow-input signal: with Temporal down the client hears 503 this soon. */
  TEMPORAL_CALL_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(4_000),
  /** A request's headers and body must have arrived within this (ms), else 408. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** A request's headers must have arrived within this (ms), else 408. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  /** An idle keep-alive connection is closed after this (ms). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(5_000),
  /** How long (ms) /api/ready reuses its last answer, so probes cannot load the stores. */
  READY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Issue 19: "typically replies in" is the median first response of this many recent days' conversations. */
  AVAILABILITY_REPLY_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Issue 19: how long (ms) a channel's availability is reused, and how often (ms) followers are told of changes. */
  AVAILABILITY_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  AVAILABILITY_POLL_MS: z.coerce.number().int().min(200).max(600_000).default(10_000),
  /** Issue 19: public availability reads per minute per client IP. */
  RATE_LIMIT_AVAILABILITY_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Issue 19: the SMTP server transcripts are e-mailed through (smtp://user:pass@host:587, smtps://…:465); empty: e-mailing is off. */
  SMTP_URL: z.string().default('').refine((v) => v === '' || /^smtps?:\/\/[^\s]+$/.test(v), 'SMTP_URL must be smtp://… or smtps://…'),
  /** The From of transcript e-mails, like `Support <support@example.com>`. */
  SMTP_FROM: z.string().default(''),
  /** Transcript e-mails per visitor per hour (per API process). */
  TRANSCRIPT_EMAILS_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  /** Where the bytes of files sent in conversations live: `database` (PostgreSQL, the default) or `s3` (S3_* below). */
  FILE_STORAGE: z.enum(['database', 's3']).default('database'),
  /** Largest file a visitor or agent may send (bytes). */
  FILES_MAX_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(DEFAULT_MAX_FILE_BYTES),
  /** Accepted types (sniffed from the content), comma-separated MIME types. SVG and HTML are refused whatever this says. */
  FILES_ALLOWED_TYPES: z.string().default(DEFAULT_ALLOWED_FILE_TYPES.join(','))
    .transform((v) => v.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
    .refine((list) => list.length > 0 && list.every((t) => /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(t)), { message: 'a comma-separated list of MIME types like image/png' }),
  /** Largest decoded image (width × height); larger ones are refused before they are decoded. */
  FILES_MAX_IMAGE_PIXELS: z.coerce.number().int().min(10_000).max(500_000_000).default(DEFAULT_MAX_IMAGE_PIXELS),
  /** How long a signed download link is valid (s); the apps ask for fresh ones. */
  FILE_LINK_TTL_SEC: z.coerce.number().int().min(30).max(86_400).default(DEFAULT_FILE_LINK_TTL_SEC),
  /** S3-compatible storage (FILE_STORAGE=s3): bucket, endpoint (empty: AWS), region, credentials (empty: the SDK's default chain), path-style URLs. */
  S3_BUCKET: z.string().default(''),
  S3_ENDPOINT: z.string().default(''),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().default(''),
  S3_SECRET_ACCESS_KEY: z.string().default(''),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Prefix of every object key (several desks in one bucket). */
  S3_KEY_PREFIX: z.string().default(''),
}).refine((env) => env.FILE_STORAGE !== 's3' || env.S3_BUCKET !== '', { message: 'FILE_STORAGE=s3 needs S3_BUCKET', path: ['S3_BUCKET'] });
export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  return parsed.data;
}
