import { Router } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { teamMembers, users } from '../../db/schema.js';
import { EmailSchema, type UserProfile } from '../../shared/agents.js';
import { verifyPassword } from '../auth/passwords.js';
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
  return { id: user.id, email: user.email, nickname: user.nickname, role: user.role, maxConversations: user.maxConversations, teamIds: teams.map((t) => t.teamId) };
}

export function authRoutes(ctx: ApiContext): Router {
  const router = Router();

  route(router, {
    method: 'post', path: '/api/auth/login', operationId: 'login', responses: { 401: { description: 'Wrong email or password, or the account is disabled (error code unauthorized)' } }, summary: 'Sign in as an admin or agent', tag: 'auth', access: 'public',
    body: LoginSchema, response: z.object({ token: z.string(), user: UserProfileSchema }),
  }, async ({ body }) => {
    const [user] = await ctx.database.db.select().from(users).where(eq(users.email, body.email.toLowerCase()));
    const ok = user && !user.disabled && await verifyPassword(user.passwordHash, body.password);
    if (!ok) throw new HttpError(401, 'unauthorized', 'Wrong email or password');
    return { token: await ctx.tokens.signStaff(user.id, user.role), user: await loadProfile(ctx, user.id) };
  });

  route(router, {
    method: 'get', path: '/api/auth/me', operationId: 'getMe', summary: 'The signed-in staff member', tag: 'auth', access: 'staff', response: UserProfileSchema,
  }, async ({ principal }) => loadProfile(ctx, principal!.kind === 'staff' ? principal!.userId : ''));

  return router;
}
