import { Router } from 'express';
import { z } from 'zod';
import { IdParams } from '../../domain/contracts/rest.js';
import {
  attributeKeyProblem, PageViewInputSchema, VipInputSchema, VisitorContextViewSchema, VisitorProfilePatchSchema, VisitorProfileViewSchema,
} from '../../domain/visitor-context.js';
import type { ApiContext } from '../context.js';
import { badRequest, forbidden } from '../http/errors.js';
import { route } from '../http/route.js';
import type { Principal } from '../auth/tokens.js';
import type { VisitorContextService } from '../services/visitor-context.js';

const VisitorId = z.object({ id: z.uuid({ error: 'id must be a visitor id (UUID)' }) });
const WHO_SEES = 'Admins: any visitor. Agents: a visitor whose conversation they hold or served; changes only while they hold one of the visitor\'s open conversations.';

const staffOf = (principal: Principal | null) => {
  if (principal?.kind !== 'staff') throw forbidden();
  return principal;
};

/** The visitor in context (issue 18): the side panel's data, profile edits, VIP, and the visitor's page views. */
export function visitorContextRoutes(_ctx: ApiContext, service: VisitorContextService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/conversations/:id/visitor-context', operationId: 'getVisitorContext', notFound: 'No such conversation', summary: 'The visitor in context: where the chat started, browser, flow variables, pages viewed, the profile and its audit', tag: 'visitors', access: 'staff',
    description: 'Agents: a conversation they hold or served; admins: any.', params: IdParams, response: VisitorContextViewSchema,
  }, async ({ principal, params }) => service.contextView(staffOf(principal), params.id));

  route(router, {
    method: 'get', path: '/api/visitors/:id/profile', operationId: 'getVisitorProfile', notFound: 'No such visitor', summary: "A visitor's profile and its latest changes (newest first)", tag: 'visitors', access: 'staff',
    description: WHO_SEES, params: VisitorId, response: VisitorProfileViewSchema,
  }, async ({ principal, params }) => service.profileView(staffOf(principal), params.id));

  route(router, {
    method: 'patch', path: '/api/visitors/:id/profile', operationId: 'updateVisitorProfile', notFound: 'No such visitor', summary: "Change a visitor's name, e-mail, phone, company or custom attributes (each change audited)", tag: 'visitors', access: 'staff',
    description: `${WHO_SEES} Only the fields sent change; null or "" clears one, an attribute set to null is removed. Invalid input changes nothing.`,
    params: VisitorId, body: VisitorProfilePatchSchema, response: VisitorProfileViewSchema,
  }, async ({ req, principal, params, body }) => {
    const raw = attributeKeyProblem((req.body as { attributes?: unknown }).attributes);
    if (raw) throw badRequest(`body.attributes.${raw.key}: ${raw.message}`, `body.attributes.${raw.key}`);
    return service.updateProfile(staffOf(principal), params.id, body);
  });

  route(router, {
    method: 'put', path: '/api/visitors/:id/vip', operationId: 'setVisitorVip', notFound: 'No such visitor', summary: 'Mark a visitor VIP or not (audited); VIP visitors are queued first from their next conversation on', tag: 'visitors', access: 'staff',
    description: WHO_SEES, params: VisitorId, body: VipInputSchema, response: VisitorProfileViewSchema,
  }, async ({ principal, params, body }) => service.setVip(staffOf(principal), params.id, body.vip));

  route(router, {
    method: 'post', path: '/api/visitor/page-views', operationId: 'reportPageView', rateLimited: true, conflict: 'the visitor has no open conversation', summary: 'Report a page the visitor viewed during their open conversation (the last 100 are kept)', tag: 'visitor', access: 'visitor',
    body: PageViewInputSchema, status: 201, response: z.object({ ok: z.literal(true) }),
  }, async ({ principal, body }) => {
    if (principal?.kind !== 'visitor') throw forbidden();
    await service.recordPageView(principal.visitorId, body);
    return { ok: true as const };
  });

  return router;
}
