import { describe, expect, it } from 'vitest';
import { addressKey, loginThrottle } from '../../../api/auth/login-throttle.js';

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
    expect(throttle.begin('a@x.io', '10.0.0.1').ok).toBe(true); // t=0, fails
    t = 400;
    expect(throttle.begin('A@x.io', '10.0.0.2').ok).toBe(true); // t=400, fails (same account, any case)
    t = 500;
    expect(throttle.begin('a@x.io', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 500 });
    t = 1000;
    const attempt = throttle.begin('a@x.io', '10.0.0.3');
    expect(attempt.ok).toBe(true);
    if (attempt.ok) attempt.succeeded(); // forgives the account's failures
    expect(throttle.begin('a@x.io', '10.0.0.3').ok).toBe(true);
    expect(throttle.begin('a@x.io', '10.0.0.3').ok).toBe(true);
    expect(throttle.begin('a@x.io', '10.0.0.3').ok).toBe(false);
  });

  it('forgets keys whose failures all left the window', () => {
    let t = 0;
    const throttle = loginThrottle({ failuresPerAccount: 5, failuresPerAddress: 5, windowMs: 1000 }, () => t);
    for (let i = 0; i < 50; i++) throttle.begin(`u${i}@x.io`, `10.0.1.${i}`);
    expect(throttle.size).toBe(100);
    t = 61_000;
    throttle.begin('late@x.io', '10.0.2.1');
    expect(throttle.size).toBe(2);
  });
});
