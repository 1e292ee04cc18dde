import type { RequestHandler } from 'express';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import type { Principal, TokenService } from './tokens.js';

/** Reads the bearer token, if any, into res.locals.principal. Staff tokens of disabled users are ignored. */
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
  const principal = await tokens.verify(token);
  if (principal?.kind !== 'staff') return principal;
  const [user] = await db.select({ role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, principal.userId));
  if (!user || user.disabled) return null;
  return { ...principal, role: user.role };
}
