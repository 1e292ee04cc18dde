import { z } from 'zod';
import { DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES, parseOutboundAllow } from '../shared/outbound.js';

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
  /** Largest answer body an outbound call reads (bytes). */
  PARLEY_OUTBOUND_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES),
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
