import type { RequestHandler } from 'express';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { CSRF_HEADER } from '../../shared/session.js';
import { forbidden } from '../http/errors.js';
import { isStateChanging, type SessionCookies } from './session-cookie.js';
import type { Principal, TokenService } from './tokens.js';

/**
 * Reads the principal into res.locals.principal: from the bearer token when an Authorization header
 * is sent (API clients, visitors), else from the staff session cookie (the agent and admin apps).
 * A cookie session must echo its CSRF token on state-changing requests; a bearer header needs none,
 * since browsers never send it on their own. Staff tokens of disabled users are ignored.
 */
export function authenticate(tokens: TokenService, db: Db, sessions: SessionCookies): RequestHandler {
  return async (req, res, next) => {
    try {
      const { principal, fromCookie } = await principalFromRequest(tokens, db, sessions, req.headers);
      if (fromCookie && isStateChanging(req.method) && !sessions.csrfMatches(fromCookie, req.get(CSRF_HEADER))) {
        throw forbidden('This request lacks its CSRF token: reload the page and try again');
      }
      res.locals.principal = principal;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The principal of an HTTP request or a socket handshake; `fromCookie` is the session token when it came from the cookie. */
export async function principalFromRequest(
  tokens: TokenService, db: Db, sessions: SessionCookies, headers: { authorization?: string; cookie?: string },
): Promise<{ principal: Principal | null; fromCookie: string | null }> {
  if (headers.authorization !== undefined) return { principal: await principalFromHeader(tokens, db, headers.authorization), fromCookie: null };
  const token = sessions.read(headers.cookie);
  if (!token) return { principal: null, fromCookie: null };
  const principal = await principalFromToken(tokens, db, token);
  // Only staff sessions live in cookies.
  return principal?.kind === 'staff' ? { principal, fromCookie: token } : { principal: null, fromCookie: null };
}

export async function principalFromHeader(tokens: TokenService, db: Db, header: string | undefined): Promise<Principal | null> {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return match ? principalFromToken(tokens, db, match[1]) : null;
}

export async function principalFromToken(tokens: TokenService, db: Db, token: string): Promise<Principal | null> {
  const principal = await tokens.verify(token);
  if (principal?.kind !== 'staff') return principal;
  const [user] = await db.select({ role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, principal.userId));
  if (!user || user.disabled) return null;
  return { ...principal, role: user.role };
}
