import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../config/env.js';

const base = { DATABASE_URL: 'postgres://x', PARLEY_SECRET: 'x'.repeat(20) };

describe('sign-in and browser security settings', () => {
  it('defaults: 5 failures per account, 20 per address, 15 min; the visitor chat framed by itself only; cookies Secure over HTTPS', () => {
    const env = readEnv(base);
    expect([env.LOGIN_MAX_FAILURES_PER_ACCOUNT, env.LOGIN_MAX_FAILURES_PER_ADDRESS, env.LOGIN_FAILURE_WINDOW_SEC]).toEqual([5, 20, 900]);
    expect(env.VISITOR_FRAME_ORIGINS).toEqual(["'self'"]);
    expect(env.COOKIE_SECURE).toBe('auto');
  });

  it('reads a list of frame origins, comma- or space-separated', () => {
    expect(readEnv({ ...base, VISITOR_FRAME_ORIGINS: "'self', https://shop.example.com  https://*.example.org:8443" }).VISITOR_FRAME_ORIGINS)
      .toEqual(["'self'", 'https://shop.example.com', 'https://*.example.org:8443']);
    expect(readEnv({ ...base, VISITOR_FRAME_ORIGINS: "'none'" }).VISITOR_FRAME_ORIGINS).toEqual(["'none'"]);
  });

  it.each([
    ['VISITOR_FRAME_ORIGINS', 'https://shop.example.com/chat'],
    ['VISITOR_FRAME_ORIGINS', 'javascript:alert(1)'],
    ['VISITOR_FRAME_ORIGINS', "'unsafe-inline'"],
    ['VISITOR_FRAME_ORIGINS', '*'],
    ['VISITOR_FRAME_ORIGINS', "'none' https://shop.example.com"],
    ['COOKIE_SECURE', 'yes'],
    ['LOGIN_MAX_FAILURES_PER_ACCOUNT', '0'],
    ['LOGIN_FAILURE_WINDOW_SEC', '0.5'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => readEnv({ ...base, [name]: value })).toThrow(new RegExp(`Invalid configuration:\\n  ${name}: `));
  });
});
