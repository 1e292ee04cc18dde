import type { RequestHandler } from 'express';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { CSRF_HEADER } from '../../domain/contracts/session.js';
import { forbidden } from '../http/errors.js';
import { isStateChanging, type SessionCookies } from './session-cookie.js';
import type { Principal, TokenService, VerifiedToken } from './tokens.js';

/**
 * Reads the principal into res.locals.principal: from the bearer token when an Authorization header
 * is sent (API clients, visitors), else from the staff session cookie (the agent and admin apps).
 * A cookie session must echo its CSRF token on state-changing requests; a bearer header needs none,
 * since browsers never send it on their own. Staff tokens of disabled users, or revoked ones, are ignored.
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

/** The session of an HTTP request or a socket handshake; `fromCookie` is the session token when it came from the cookie. */
export async function sessionFromRequest(
  tokens: TokenService, db: Db, sessions: SessionCookies, headers: { authorization?: string; cookie?: string },
): Promise<{ session: VerifiedToken | null; fromCookie: string | null }> {
  if (headers.authorization !== undefined) {
    const match = /^Bearer (.+)$/i.exec(headers.authorization);
    return { session: match ? await sessionFromToken(tokens, db, match[1]) : null, fromCookie: null };
  }
  const token = sessions.read(headers.cookie);
  if (!token) return { session: null, fromCookie: null };
  const session = await sessionFromToken(tokens, db, token);
  // Only staff sessions live in cookies.
  return session?.principal.kind === 'staff' ? { session, fromCookie: token } : { session: null, fromCookie: null };
}

export async function principalFromRequest(
  tokens: TokenService, db: Db, sessions: SessionCookies, headers: { authorization?: string; cookie?: string },
): Promise<{ principal: Principal | null; fromCookie: string | null }> {
  const { session, fromCookie } = await sessionFromRequest(tokens, db, sessions, headers);
  return { principal: session?.principal ?? null, fromCookie };
}

export async function principalFromHeader(tokens: TokenService, db: Db, header: string | undefined): Promise<Principal | null> {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return match ? principalFromToken(tokens, db, match[1]) : null;
}

export async function principalFromToken(tokens: TokenService, db: Db, token: string): Promise<Principal | null> {
  return (await sessionFromToken(tokens, db, token))?.principal ?? null;
}

/**
 * A token checked against the account (one query): a staff token counts only while its user exists,
 * is not disabled and still has the token version the token was issued under (a password or role
 * change, a disable or a restore raise it). The role is the account's current one.
 */
export async function sessionFromToken(tokens: TokenService, db: Db, token: string): Promise<VerifiedToken | null> {
  const verified = await tokens.decode(token);
  if (verified?.principal.kind !== 'staff') return verified;
  const [user] = await db.select({ role: users.role, disabled: users.disabled, tokenVersion: users.tokenVersion }).from(users)
      .where(eq(users.id, verified.principal.userId));
  if (!user || user.disabled || user.tokenVersion !== verified.version) return null;
  return { ...verified, principal: { ...verified.principal, role: user.role } };
}
