import { Router } from 'express';
import { z } from 'zod';
import { AssignmentStrategySchema } from '../../domain/routing.js';
import { countTeamMembers, createTeam, deleteTeam, findTeam, listTeamIds, updateTeam } from '../../db/teams.js';
import type { ApiContext } from '../context.js';
import { conflict, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import { TeamSchema } from '../../domain/contracts/rest.js';

const TeamId = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'team id: lowercase letters, digits or dashes') });

export function teamRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { db } = ctx.database;

  async function load(id: string) {
    const team = await findTeam(db, id);
    if (!team) throw notFound('Team');
    return team;
  }

  route(router, {
    method: 'get', path: '/api/teams', operationId: 'listTeams', summary: 'Teams (skill groups) and their members', tag: 'teams', access: 'staff',
    response: z.object({ teams: z.array(TeamSchema) }),
  }, async () => {
    const all = await listTeamIds(db);
    return { teams: await Promise.all(all.map((id) => load(id))) };
  });

  route(router, {
    method: 'post', path: '/api/teams', operationId: 'createTeam', conflict: 'a team with this id or name already exists', summary: 'Create a team', tag: 'teams', access: 'admin', status: 201,
    body: z.object({ id: TeamId.shape.id, name: z.string().trim().min(1).max(80), strategy: AssignmentStrategySchema.default('longest-idle') }).strict(),
    response: TeamSchema,
  }, async ({ body }) => {
    if (!(await createTeam(db, body))) throw conflict('A team with this id or name already exists');
    return load(body.id);
  });

  route(router, {
    method: 'patch', path: '/api/teams/:id', operationId: 'updateTeam', notFound: 'No such team', conflict: 'another team has this name', summary: 'Rename a team or change its assignment strategy', tag: 'teams', access: 'admin',
    params: TeamId, body: z.object({ name: z.string().trim().min(1).max(80).optional(), strategy: AssignmentStrategySchema.optional() }).strict(),
    response: TeamSchema,
  }, async ({ params, body }) => {
    await load(params.id);
    if (Object.keys(body).length) {
      try {
        await updateTeam(db, params.id, body);
      } catch {
        throw conflict('A team with this name already exists');
      }
    }
    return load(params.id);
  });

  route(router, {
    method: 'delete', path: '/api/teams/:id', operationId: 'deleteTeam', notFound: 'No such team', conflict: 'the team still has members', summary: 'Delete an empty team', tag: 'teams', access: 'admin', params: TeamId,
  }, async ({ params }) => {
    const team = await load(params.id);
    if ((await countTeamMembers(db, team.id)) > 0) throw conflict('Remove the team members first');
    await deleteTeam(db, params.id);
    return { ok: true };
  });

  return router;
}
