import ipaddr from 'ipaddr.js';

/**
 * Failed sign-ins allowed per account and per client address in a sliding window (env
 * LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_FAILURE_WINDOW_SEC). Kept in
 * memory, so per API process, like the other abuse limits (api/http/rate-limit.ts).
 */
export interface LoginThrottleConfig {
  failuresPerAccount: number;
  failuresPerAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleConfig = { failuresPerAccount: 5, failuresPerAddress: 20, windowMs: 15 * 60_000 };

export const resolveLoginThrottle = (config?: Partial<LoginThrottleConfig>): LoginThrottleConfig => ({ ...DEFAULT_LOGIN_THROTTLE, ...config });

/**
 * The key of a client address: IPv4 (also when IPv4-mapped) as is, IPv6 by its /64, since one
 * client usually holds a whole /64 and could otherwise take a fresh address per attempt.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

export type AttemptOutcome = 'failed' | 'succeeded' | 'abandoned';

export type LoginAttempt =
  | { ok: true; end(outcome: AttemptOutcome): void }
  | { ok: false; retryAfterMs: number };

/** How long a client is told to wait when only attempts still being checked fill its budget. */
const IN_FLIGHT_RETRY_MS = 1000;

/**
 * A sliding window log of failures per key, plus the attempts still being checked: those count
 * against the budget too, so parallel guesses cannot all slip in before the first failure is
 * recorded. A success forgives the account's earlier failures, but never the address's (or one
 * valid account would reset a guesser's address budget). An abandoned attempt (the check itself
 * failed, e.g. the database is down) counts as nothing.
 */
export function loginThrottle(config: LoginThrottleConfig, now: () => number = Date.now) {
  const failures = new Map<string, number[]>();
  const inFlight = new Map<string, number>();
  let lastSweep = now();

  const recent = (key: string, t: number): number[] => {
    const list = failures.get(key);
    if (!list) return [];
    while (list.length && list[0] <= t - config.windowMs) list.shift();
    if (!list.length) failures.delete(key);
    return list;
  };

  function sweep(t: number) {
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const key of [...failures.keys()]) recent(key, t);
  }

  const addInFlight = (key: string, n: number) => {
    const count = (inFlight.get(key) ?? 0) + n;
    if (count > 0) inFlight.set(key, count);
    else inFlight.delete(key);
  };

  return {
    begin(email: string, ip: string | undefined): LoginAttempt {
      const t = now();
      sweep(t);
      const account = `account:${email.toLowerCase()}`;
      const address = `address:${addressKey(ip)}`;
      const keys: Array<[string, number]> = [[account, config.failuresPerAccount], [address, config.failuresPerAddress]];
      let retryAfterMs = 0;
      for (const [key, limit] of keys) {
        const list = recent(key, t);
        // The window opens again when the failure that filled it to the limit falls out of it.
        if (list.length >= limit) retryAfterMs = Math.max(retryAfterMs, list[list.length - limit] + config.windowMs - t);
        else if (list.length + (inFlight.get(key) ?? 0) >= limit) retryAfterMs = Math.max(retryAfterMs, IN_FLIGHT_RETRY_MS);
      }
      if (retryAfterMs > 0) return { ok: false, retryAfterMs };
      for (const [key] of keys) addInFlight(key, 1);
      let ended = false;
      return {
        ok: true,
        end(outcome) {
          if (ended) return;
          ended = true;
          for (const [key, limit] of keys) {
            addInFlight(key, -1);
            if (outcome !== 'failed') continue;
            const list = failures.get(key) ?? [];
            list.push(now());
            if (list.length > limit) list.splice(0, list.length - limit); // only the newest `limit` ever matter
            failures.set(key, list);
          }
          if (outcome === 'succeeded') failures.delete(account);
        },
      };
    },
    /** Keys with failures or attempts in flight (memory use). */
    get size() { return new Set([...failures.keys(), ...inFlight.keys()]).size; },
  };
}
export type LoginThrottle = ReturnType<typeof loginThrottle>;
