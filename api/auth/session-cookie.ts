import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';

import { CSRF_COOKIE, SESSION_COOKIE } from '../../domain/contracts/session.js';

/** As long as a staff token lives (api/auth/tokens.ts). */
export const STAFF_SESSION_MAX_AGE_MS = 12 * 60 * 60_000;

/** `auto`: Secure when the request came over HTTPS (behind a proxy: with TRUST_PROXY and X-Forwarded-Proto); `always`: Secure. */
export type CookieSecurity = 'auto' | 'always';

export const isStateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

/**
 * Staff sessions in cookies: an HttpOnly, SameSite=Strict session cookie and a CSRF cookie whose
 * value is an HMAC of the session token (a signed double-submit token: a cookie planted by a sibling
 * subdomain cannot match a session it does not know).
 */
export function sessionCookies(secret: string, security: CookieSecurity = 'auto') {
  const csrfFor = (token: string) => createHmac('sha256', secret).update(`parley-csrf:${token}`).digest('base64url');
  const options = (req: Request, httpOnly: boolean): CookieOptions => ({
    httpOnly, sameSite: 'strict', secure: security === 'always' || req.secure, path: '/',
  });
  return {
    /** The session token of a Cookie header, if any. */
    read(cookieHeader: string | undefined): string | null {
      if (!cookieHeader) return null;
      try {
        return parse(cookieHeader)[SESSION_COOKIE] || null;
      } catch {
        return null;
      }
    },
    issue(req: Request, res: Response, token: string): void {
      res.cookie(SESSION_COOKIE, token, { ...options(req, true), maxAge: STAFF_SESSION_MAX_AGE_MS });
      res.cookie(CSRF_COOKIE, csrfFor(token), { ...options(req, false), maxAge: STAFF_SESSION_MAX_AGE_MS });
    },
    clear(req: Request, res: Response): void {
      res.clearCookie(SESSION_COOKIE, options(req, true));
      res.clearCookie(CSRF_COOKIE, options(req, false));
    },
    /** Whether a request's CSRF header belongs to this session token. */
    csrfMatches(token: string, header: string | string[] | undefined): boolean {
      if (typeof header !== 'string') return false;
      const expected = Buffer.from(csrfFor(token));
      const given = Buffer.from(header);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
export type SessionCookies = ReturnType<typeof sessionCookies>;
