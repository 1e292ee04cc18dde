import { z } from 'zod';

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
  /** Comma-separated list; empty allows same-origin only. */
  CORS_ORIGINS: z.string().default(''),
  /** Visitor sessions and conversation starts per minute, per client IP and per visitor (per API process). */
  RATE_LIMIT_CONVERSATIONS_PER_MIN: z.coerce.number().int().positive().default(10),
  /** Visitor messages per 10 seconds, per visitor (per API process; REST and socket counted separately). */
  RATE_LIMIT_MESSAGES_PER_10S: z.coerce.number().int().positive().default(20),
  /** Behind a reverse proxy: which X-Forwarded-For hops to believe for the client IP (Express `trust proxy`: true, a hop count, loopback, CIDRs). Empty: none. */
  TRUST_PROXY: z.string().default(''),
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
});
export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  return parsed.data;
}
