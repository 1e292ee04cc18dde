import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { teamMembers, users } from '../../db/schema.js';
import { EmailSchema, type UserProfile } from '../../shared/agents.js';
import { loginThrottle, resolveLoginThrottle, type AttemptOutcome } from '../auth/login-throttle.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { ApiContext } from '../context.js';
import { HttpError, notFound } from '../http/errors.js';
import { route } from '../http/route.js';

export const LoginSchema = z.object({ email: EmailSchema, password: z.string().min(1).max(200) }).strict();
export const UserProfileSchema = z.object({
  id: z.uuid(), email: z.string(), nickname: z.string(), role: z.enum(['admin', 'agent']), maxConversations: z.number().int(), teamIds: z.array(z.string()),
});

export async function loadProfile(ctx: ApiContext, userId: string): Promise<UserProfile> {
  const { db } = ctx.database;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound('User');
  const teams = await db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId));
  return { id: user.id, email: user.email, nickname: user.nickname, role: user.role, maxConversations: user.maxConversations,
      teamIds: teams.map((t) => t.teamId) };
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
    let user: typeof users.$inferSelect | undefined;
    try {
      [user] = await ctx.database.db.select().from(users).where(eq(users.email, body.email.toLowerCase()));
      const matches = await verifyPassword(user ? user.passwordHash : await dummyHash, body.password);
      // A disabled account answers like a wrong password, after the same work.
      outcome = user && !user.disabled && matches ? 'succeeded' : 'failed';
    } finally {
      attempt.end(outcome);
    }
    if (outcome !== 'succeeded' || !user) throw new HttpError(401, 'unauthorized', 'Wrong email or password');
    const token = await ctx.tokens.signStaff(user.id, user.role, user.tokenVersion);
    ctx.sessions.issue(req, res, token);
    return { token, user: await loadProfile(ctx, user.id) };
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
  }, async ({ principal }) => loadProfile(ctx, principal!.kind === 'staff' ? principal!.userId : ''));

  return router;
}
