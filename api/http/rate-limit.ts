import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options } from 'express-rate-limit';
import type { Principal } from '../auth/tokens.js';
import { HttpError } from './errors.js';

/**
 * Abuse limits for anonymous-facing writes. They are kept in memory, so they are per API process:
 * with N API processes a client can get up to N times the limit (acceptable for abuse protection;
 * a shared store would be needed for exact desk-wide limits).
 */
export interface RateLimitConfig {
  /** Visitor sessions and conversation starts per minute, counted per client IP and per visitor (env RATE_LIMIT_CONVERSATIONS_PER_MIN). */
  conversationsPerMinute: number;
  /** Visitor messages per 10 seconds, per visitor, for REST and for socket events separately (env RATE_LIMIT_MESSAGES_PER_10S). */
  messagesPer10s: number;
  /** Socket events per 10 seconds, per staff user, across that user's sockets (env RATE_LIMIT_STAFF_EVENTS_PER_10S). */
  staffEventsPer10s: number;
  /** Typing and receipt socket events per 10 seconds, per visitor or staff user (env RATE_LIMIT_SIGNALS_PER_10S); their own budget. */
  signalsPer10s: number;
  /** Issue 19: reads of a channel's availability per minute, per client IP (the launcher reads it on every page load); default 120. */
  availabilityReadsPerMinute?: number;
}

export const DEFAULT_AVAILABILITY_READS_PER_MINUTE = 120;
export const DEFAULT_RATE_LIMITS: RateLimitConfig = { conversationsPerMinute: 10, messagesPer10s: 20, staffEventsPer10s: 100, signalsPer10s: 30 };

/** TRUST_PROXY as Express wants it: `true`, a hop count, or a list like `loopback, 10.0.0.0/8`. */
export const trustProxySetting = (value: string): boolean | number | string =>
  value === 'true' ? true : /^\d+$/.test(value) ? Number(value) : value;

export const resolveRateLimits = (limits?: Partial<RateLimitConfig>): RateLimitConfig => ({ ...DEFAULT_RATE_LIMITS, ...limits });

export const rateLimited = (retryAfterMs: number) =>
  new HttpError(429, 'rate_limited', `Too many requests: please wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s and try again`);

const visitorOf = (res: Response): string | undefined => {
  const principal = res.locals.principal as Principal | null | undefined;
  return principal?.kind === 'visitor' ? principal.visitorId : undefined;
};

/** Hits counted for this request, to give back if it ends in 503 (res.locals.rateHits). */
type Hit = { store: MemoryStore; key: string };
const hitsOf = (res: Response): Hit[] => (res.locals.rateHits ??= []) as Hit[];

function limiter(windowMs: number, limit: number, perVisitor: boolean) {
  const store = new MemoryStore();
  const keyOf = (req: Request, res: Response) => (perVisitor ? `visitor:${visitorOf(res)}` : ipKeyGenerator(req.ip ?? ''));
  const options: Partial<Options> = {
    windowMs,
    store,
    keyGenerator: (req: Request, res: Response) => {
      const key = keyOf(req, res);
      hitsOf(res).push({ store, key });
      return key;
    },
    limit,
    standardHeaders: 'draft-7', // RateLimit + RateLimit-Policy headers; Retry-After once limited
    legacyHeaders: false,
    handler: (req: Request, res: Response) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const error = rateLimited(resetTime ? resetTime.getTime() - Date.now() : windowMs);
      res.status(429).json({ error: { code: error.code, message: error.message } });
    },
  };
  // Per visitor: only requests carrying a visitor token count (others are refused by the route anyway).
  if (perVisitor) Object.assign(options, { skip: (_req: Request, res: Response) => !visitorOf(res) });
  return rateLimit(options);
}

/**
 * A request the desk could not serve because PostgreSQL or Temporal was down (503) does not use up the
 * client's budget: its hits are given back once the answer is sent. (express-rate-limit's own
 * skipFailedRequests would also refund a request the client aborted, which still did its work.)
 */
function refundOutages(_req: Request, res: Response, next: () => void): void {
  res.once('finish', () => {
    if (res.statusCode !== 503) return;
    for (const { store, key } of hitsOf(res)) void store.decrement(key);
  });
  next();
}

/** Mounted after authentication (it reads the principal) and before the routes it protects. */
export function restRateLimits(config: RateLimitConfig): Router {
  const router = Router();
  const minute = 60_000;
  router.use(refundOutages);
  router.post('/api/visitor/session', limiter(minute, config.conversationsPerMinute, false));
  router.post('/api/visitor/conversations', limiter(minute, config.conversationsPerMinute, false), limiter(minute, config.conversationsPerMinute, true));
  router.post('/api/conversations/:id/messages', limiter(10_000, config.messagesPer10s, true));
  router.post('/api/visitor/page-views', limiter(10_000, config.messagesPer10s, true)); // the visitor in context: a journey, not a flood
  router.post('/api/conversations/:id/files', limiter(10_000, config.messagesPer10s, true));
  // Issue 19: the public availability read, and a visitor's left message (like a conversation start).
  router.get('/api/channels/:channel/availability', limiter(minute, config.availabilityReadsPerMinute ?? DEFAULT_AVAILABILITY_READS_PER_MINUTE, false));
  router.post('/api/visitor/left-message', limiter(minute, config.conversationsPerMinute, false), limiter(minute, config.conversationsPerMinute, true));
  router.post('/api/visitor/prechat', limiter(minute, config.conversationsPerMinute, true)); // issue 19: pre-chat answers
  return router;
}

/** `refund` gives the token back (the event failed because a store was down). */
export type RateCheck = { ok: true; refund?: () => void } | { ok: false; retryAfterMs: number };

/**
 * A token bucket per key (used for socket events, which express-rate-limit cannot see): `capacity`
 * events at once, refilled continuously at `capacity` per `perMs`. Idle keys are swept every minute.
 */
export function tokenBuckets(opts: { capacity: number; perMs: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const ratePerMs = opts.capacity / opts.perMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  const refill = (b: { tokens: number; at: number }, t: number) => Math.min(opts.capacity, b.tokens + (t - b.at) * ratePerMs);
  return {
    take(key: string): RateCheck {
      const t = now();
      if (t - lastSweep > 60_000) {
        lastSweep = t;
        for (const [k, b] of buckets) if (refill(b, t) >= opts.capacity) buckets.delete(k);
      }
      const bucket = buckets.get(key) ?? { tokens: opts.capacity, at: t };
      bucket.tokens = refill(bucket, t);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true, refund: () => { bucket.tokens = Math.min(opts.capacity, bucket.tokens + 1); buckets.set(key, bucket); } };
      }
      return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / ratePerMs) };
    },
    get size() { return buckets.size; },
  };
}
export type TokenBuckets = ReturnType<typeof tokenBuckets>;
