import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { EmailSchema, type UserProfile } from '../../domain/agents.js';
import { findUserByEmail, loadProfile, type UserRow } from '../../db/accounts.js';
import { loginThrottle, resolveLoginThrottle, type AttemptOutcome } from '../auth/login-throttle.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { ApiContext } from '../context.js';
import { HttpError, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import { UserProfileSchema } from '../../domain/contracts/rest.js';

export const LoginSchema = z.object({ email: EmailSchema, password: z.string().min(1).max(200) }).strict();

async function profileOf(ctx: ApiContext, userId: string): Promise<UserProfile> {
  const profile = await loadProfile(ctx.database.db, userId);
  if (!profile) throw notFound('User');
  return profile;
}

export function authRoutes(ctx: ApiContext): Router {
  const router = Router();
  const throttle = loginThrottle(resolveLoginThrottle(ctx.config.loginThrottle));
  // An unknown e-mail is checked against this hash, so it costs the same argon2 time as a known one.
  const dummyHash = hashPassword(randomBytes(32).toString('base64url'));

  route(router, {
    method: 'post', path: '/api/auth/login', operationId: 'login', rateLimited: true, summary: 'Sign in as an admin or agent; also sets the staff session cookies', tag: 'auth', access: 'public',
    body: LoginSchema, response: z.object({ token: z.string(), user: UserProfileSchema }),
    responses: { 401: { description: 'Wrong email or password, or the account is disabled (error code unauthorized)' } },
  }, async ({ body, req, res }) => {
    const attempt = throttle.begin(body.email, req.ip);
    if (!attempt.ok) {
      const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
      res.setHeader('Retry-After', String(seconds));
      throw new HttpError(429, 'rate_limited', `Too many failed sign-ins: please wait ${seconds} s and try again`);
    }
    let outcome: AttemptOutcome = 'abandoned';
    let user: UserRow | null | undefined;
    try {
      user = await findUserByEmail(ctx.database.db, body.email);
      const matches = await verifyPassword(user ? user.passwordHash : await dummyHash, body.password);
      // A disabled account answers like a wrong password, after the same work.
      outcome = user && !user.disabled && matches ? 'succeeded' : 'failed';
    } finally {
      attempt.end(outcome);
    }
    if (outcome !== 'succeeded' || !user) throw new HttpError(401, 'unauthorized', 'Wrong email or password');
    const token = await ctx.tokens.signStaff(user.id, user.role, user.tokenVersion);
    ctx.sessions.issue(req, res, token);
    return { token, user: await profileOf(ctx, user.id) };
  });

  route(router, {
    method: 'post', path: '/api/auth/logout', operationId: 'logout', summary: 'Sign out: clears the staff session cookies', tag: 'auth', access: 'public',
    response: z.object({ ok: z.literal(true) }),
  }, async ({ req, res }) => {
    ctx.sessions.clear(req, res);
    return { ok: true as const };
  });

  route(router, {
    method: 'get', path: '/api/auth/me', operationId: 'getMe', summary: 'The signed-in staff member', tag: 'auth', access: 'staff', response: UserProfileSchema,
  }, async ({ principal }) => profileOf(ctx, principal!.kind === 'staff' ? principal!.userId : ''));

  return router;
}
