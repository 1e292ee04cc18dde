import { Router } from 'express';
import { z } from 'zod';
import { CHANNEL_PATTERN, PrechatAnswersSchema, PrechatFormSchema, VisitorPrechatViewSchema } from '../../domain/prechat.js';
import type { ApiContext } from '../context.js';
import { forbidden } from '../http/errors.js';
import { route } from '../http/route.js';
import type { PrechatService } from '../services/prechat.js';

const ChannelParams = z.object({ channel: z.string().regex(CHANNEL_PATTERN, 'channel: 1-32 lowercase letters, digits or "-"') });
const ChannelQuery = z.object({ channel: z.string().regex(CHANNEL_PATTERN, 'channel: 1-32 lowercase letters, digits or "-"').default('web') }).strict();

/** Issue 19: each channel's pre-chat form (admins) and the visitor filling it in before the conversation starts. */
export function prechatRoutes(_ctx: ApiContext, prechat: PrechatService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/prechat-forms', operationId: 'listPrechatForms', summary: 'Every channel\'s pre-chat form', tag: 'chat', access: 'admin',
    response: z.array(z.object({ channel: z.string(), form: PrechatFormSchema, updatedAt: z.string() })),
  }, async () => prechat.list());

  route(router, {
    method: 'get', path: '/api/channels/:channel/prechat-form', operationId: 'getPrechatForm', notFound: 'No service flow serves the channel', summary: 'A channel\'s pre-chat form (the defaults, switched off, if none was saved)', tag: 'chat', access: 'admin',
    params: ChannelParams, response: PrechatFormSchema,
  }, async ({ params }) => prechat.get(params.channel));

  route(router, {
    method: 'put', path: '/api/channels/:channel/prechat-form', operationId: 'savePrechatForm', notFound: 'No service flow serves the channel', summary: 'Save a channel\'s pre-chat form: name, e-mail, consent and custom fields, each optional or required', tag: 'chat', access: 'admin',
    description: 'Labels, options and the consent text are shown to visitors as plain text. An invalid form changes nothing.',
    params: ChannelParams, body: PrechatFormSchema, response: PrechatFormSchema,
  }, async ({ principal, params, body }) => {
    if (principal?.kind !== 'staff') throw forbidden();
    return prechat.save(params.channel, body, principal.userId);
  });

  route(router, {
    method: 'get', path: '/api/visitor/prechat', operationId: 'getVisitorPrechat', summary: 'The pre-chat form the visitor fills in before a conversation on the channel starts', tag: 'chat', access: 'visitor',
    description: '`skip`: no form to fill in (the channel has none, the visitor already answered it, or the visitor is known: a name of their own and an e-mail).',
    query: ChannelQuery, response: VisitorPrechatViewSchema,
  }, async ({ principal, query }) => {
    if (principal?.kind !== 'visitor') throw forbidden();
    return prechat.view(principal.visitorId, query.channel);
  });

  route(router, {
    method: 'post', path: '/api/visitor/prechat', operationId: 'submitVisitorPrechat', rateLimited: true, conflict: 'the channel has no pre-chat form switched on', summary: 'Send the pre-chat answers: saved to the visitor\'s profile, the consent with its text', tag: 'chat', access: 'visitor',
    description: 'Every problem is named in the 400 answer (`field`: the first); nothing is saved then. Custom fields are saved as profile attributes by their id.',
    body: PrechatAnswersSchema, response: VisitorPrechatViewSchema,
  }, async ({ principal, body }) => {
    if (principal?.kind !== 'visitor') throw forbidden();
    return prechat.submit(principal.visitorId, body);
  });

  return router;
}
