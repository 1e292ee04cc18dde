import { describe, expect, it } from 'vitest';
import { addressKey, loginThrottle, type LoginAttempt } from '../../../api/auth/login-throttle.js';

/** Begins an attempt that must be let through. */
function admitted(attempt: LoginAttempt) {
  if (!attempt.ok) throw new Error(`refused: retry after ${attempt.retryAfterMs} ms`);
  return attempt;
}

describe('login throttle (pure)', () => {
  it('keys IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff::9'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(addressKey(undefined)).toBe('unknown');
  });

  it('slides: the oldest failure leaving the window frees one attempt, and Retry-After says when', () => {
    let t = 0;
    const throttle = loginThrottle({ failuresPerAccount: 2, failuresPerAddress: 100, windowMs: 1000 }, () => t);
    admitted(throttle.begin('a@x.io', '10.0.0.1')).end('failed'); // t=0
    t = 400;
    admitted(throttle.begin('A@x.io', '10.0.0.2')).end('failed'); // same account, any case
    t = 500;
    expect(throttle.begin('a@x.io', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 500 });
    t = 1000;
    admitted(throttle.begin('a@x.io', '10.0.0.3')).end('succeeded'); // forgives the account's failures
    admitted(throttle.begin('a@x.io', '10.0.0.3')).end('failed');
    admitted(throttle.begin('a@x.io', '10.0.0.3')).end('failed');
    expect(throttle.begin('a@x.io', '10.0.0.3').ok).toBe(false);
  });

  it('counts attempts still being checked, and tells those over the budget to come back in a second', () => {
    const throttle = loginThrottle({ failuresPerAccount: 2, failuresPerAddress: 3, windowMs: 60_000 }, () => 0);
    const first = admitted(throttle.begin('a@x.io', '10.0.0.1'));
    const second = admitted(throttle.begin('a@x.io', '10.0.0.2'));
    expect(throttle.begin('a@x.io', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 1000 });
    first.end('abandoned'); // e.g. the database did not answer: counts as nothing
    second.end('succeeded');
    const third = admitted(throttle.begin('a@x.io', '10.0.0.3'));
    third.end('failed');
    third.end('failed'); // ending twice changes nothing
    admitted(throttle.begin('a@x.io', '10.0.0.3')).end('failed');
    expect(throttle.begin('a@x.io', '10.0.0.4')).toEqual({ ok: false, retryAfterMs: 60_000 });
    // The address's budget is separate: 10.0.0.3 has two failures, one more attempt in flight fills it.
    const b = admitted(throttle.begin('b@x.io', '10.0.0.3'));
    expect(throttle.begin('c@x.io', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 1000 });
    b.end('succeeded'); // a success elsewhere does not forgive the address's failures
    admitted(throttle.begin('c@x.io', '10.0.0.3')).end('failed');
    expect(throttle.begin('d@x.io', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 60_000 });
  });

  it('forgets keys whose failures all left the window', () => {
    let t = 0;
    const throttle = loginThrottle({ failuresPerAccount: 5, failuresPerAddress: 5, windowMs: 1000 }, () => t);
    for (let i = 0; i < 50; i++) admitted(throttle.begin(`u${i}@x.io`, `10.0.1.${i}`)).end('failed');
    expect(throttle.size).toBe(100);
    t = 61_000;
    admitted(throttle.begin('late@x.io', '10.0.2.1')).end('failed');
    expect(throttle.size).toBe(2);
  });
});
