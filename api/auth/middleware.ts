import type { RequestHandler } from 'express';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import type { Principal, TokenService, VerifiedToken } from './tokens.js';

/** Reads the bearer token, if any, into res.locals.principal. Staff tokens of disabled users, or revoked ones, are ignored. */
export function authenticate(tokens: TokenService, db: Db): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.principal = await principalFromHeader(tokens, db, req.headers.authorization);
      next();
    } catch (err) {
      next(err);
    }
  };
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
  const [user] = await db.select({ role: users.role, disabled: users.disabled, tokenVersion: users.tokenVersion }).from(users).where(eq(users.id, verified.principal.userId));
  if (!user || user.disabled || user.tokenVersion !== verified.version) return null;
  return { ...verified, principal: { ...verified.principal, role: user.role } };
}
