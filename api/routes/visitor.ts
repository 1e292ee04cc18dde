import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { ChannelSchema, LocaleSchema } from '../../domain/conversation.js';
import { localeFromAcceptLanguage } from '../../domain/locales.js';
import { generatedVisitorName } from '../../domain/canned/expand.js';
import { createVisitor, findVisitor, renameVisitor } from '../../db/visitors.js';
import type { ApiContext } from '../context.js';
import { route } from '../http/route.js';
import type { ConversationService } from '../services/conversations.js';
import type { VisitorContextService } from '../services/visitor-context.js';
import type { PrechatService } from '../services/prechat.js';
import { VisitorPageInfoSchema } from '../../domain/visitor-context.js';
import { ConversationSummarySchema } from '../../domain/contracts/rest.js';
import { EmbedFieldsSchema } from '../../domain/widget.js';
import { widgetService } from '../services/widget.js';

const DisplayName = z.string().trim().min(1).max(80);

export function visitorRoutes(ctx: ApiContext, conversations: ConversationService, visitorContext: VisitorContextService, prechat?: PrechatService): Router {
  const router = Router();
  const { db } = ctx.database;
  const widget = widgetService(ctx); // issue 19: widget requests from a page not allowed for the channel are refused

  route(router, {
    method: 'post', path: '/api/visitor/session', operationId: 'createVisitorSession', rateLimited: true,
    responses: { 403: { description: 'From the embedded widget: the host page (`embedOrigin`) is not an allowed origin of the channel (error code forbidden)' } }, description: 'A valid visitor token sent as Bearer keeps its visitor; without one a new visitor is created. From the embedded widget: `channel` and `embedOrigin` (the host page\'s origin), which must be allowed for the channel (403 otherwise).', summary: 'Get a signed visitor token (reuses the visitor of a valid token sent as Bearer)', tag: 'visitor', access: 'public',
    body: z.object({ displayName: DisplayName.optional(), channel: ChannelSchema.optional(), ...EmbedFieldsSchema.shape }).strict(),
    response: z.object({ token: z.string(), visitorId: z.uuid(), displayName: z.string() }),
  }, async ({ req, principal, body }) => {
    await widget.assertEmbedAllowed(req, body.channel, body.embedOrigin);
    if (principal?.kind === 'visitor') {
      const existing = await findVisitor(db, principal.visitorId);
      if (existing) {
        if (body.displayName && body.displayName !== existing.displayName) await renameVisitor(db, existing.id, body.displayName);
        return { token: await ctx.tokens.signVisitor(existing.id), visitorId: existing.id, displayName: body.displayName ?? existing.displayName };
      }
    }
    const id = randomUUID();
    const displayName = body.displayName ?? generatedVisitorName(id);
    await createVisitor(db, { id, displayName });
    return { token: await ctx.tokens.signVisitor(id), visitorId: id, displayName };
  });

  route(router, {
    method: 'post', path: '/api/visitor/conversations', operationId: 'startConversation', rateLimited: true, notFound: 'The token names a visitor this desk does not know', conflict: 'no service flow is published for the channel', summary: "The visitor's open conversation, or a new one", tag: 'visitor', access: 'visitor',
    description: '`page`: where the chat starts (URL, title, referrer, language, time zone), kept for the agent with the browser and OS read from User-Agent. '
      + '`locale`: the language the service flow speaks to the visitor in (en or zh-CN); without it, the best match of Accept-Language, else the flow\'s default. '
      + 'It is fixed when a conversation starts: an open one keeps its own. '
      + '`embedOrigin` (the embedded widget\'s host page) must be an allowed origin of the channel (403 otherwise).',
    body: z.object({ channel: ChannelSchema.default('web'), new: z.boolean().default(false), page: VisitorPageInfoSchema.optional(), locale: LocaleSchema.optional(), ...EmbedFieldsSchema.shape }).strict(),
    response: ConversationSummarySchema,
  }, async ({ req, principal, body }) => {
    if (principal?.kind !== 'visitor') throw new Error('unreachable');
    await widget.assertEmbedAllowed(req, body.channel, body.embedOrigin);
    // Issue 19: a channel's pre-chat form comes first (a conversation already open is returned as before).
    if (prechat && (body.new || !(await conversations.currentForVisitor(principal.visitorId)))) await prechat.assertDone(principal.visitorId, body.channel);
    const locale = body.locale ?? localeFromAcceptLanguage(req.get('accept-language'));
    const started = await conversations.start(principal.visitorId, body.channel, { forceNew: body.new, locale });
    if (body.page) await visitorContext.recordStart(started.id, body.page, req);
    return started;
  });

  return router;
}
