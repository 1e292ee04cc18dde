import { Router } from 'express';
import { z } from 'zod';
import {
  IdentifyInputSchema, IdentifyResponseSchema, PublicWidgetConfigSchema, WidgetChannelParams, WidgetSettingsListSchema, WidgetSettingsPatchSchema,
  WidgetSettingsSchema,
} from '../../domain/widget.js';
import { attributeKeyProblem, PROFILE_LIMITS } from '../../domain/visitor-context.js';
import { channelExists, listWidgetSettings, rotateIdentitySecret, updateWidgetSettings, widgetSettingsOf } from '../../db/widget-settings.js';
import type { ApiContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import { widgetService } from '../services/widget.js';

const AttributesBody = z.object({
  channel: WidgetChannelParams.shape.channel,
  embedOrigin: z.string().max(200).optional(),
  attributes: IdentifyInputSchema.shape.attributes.unwrap(),
}).strict();

/** Issue 19: the widget's settings (admins), the loader's public read, and Parley.identify / setAttributes (visitors). */
export function widgetRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { db } = ctx.database;
  const widget = widgetService(ctx);

  const existing = async (channel: string) => {
    if (!(await channelExists(db, channel))) throw notFound('Channel');
  };

  route(router, {
    method: 'get', path: '/api/widget-settings', operationId: 'listWidgetSettings', summary: 'Every channel (a service flow serves it) with its widget settings and identity secret', tag: 'widget', access: 'admin',
    response: WidgetSettingsListSchema,
  }, async () => ({ channels: await listWidgetSettings(db, widget.defaultSecret) }));

  route(router, {
    method: 'get', path: '/api/channels/:channel/widget-settings', operationId: 'getWidgetSettings', notFound: 'No service flow serves this channel', summary: "A channel's widget settings and identity secret", tag: 'widget', access: 'admin',
    params: WidgetChannelParams, response: WidgetSettingsSchema,
  }, async ({ params }) => {
    await existing(params.channel);
    return widgetSettingsOf(db, params.channel, widget.defaultSecret);
  });

  route(router, {
    method: 'patch', path: '/api/channels/:channel/widget-settings', operationId: 'updateWidgetSettings', notFound: 'No service flow serves this channel', summary: "Change a channel's launcher (position, colour, label, icon) or allowed origins", tag: 'widget', access: 'admin',
    description: 'Only the fields sent change. allowedOrigins replaces the list: exact origins (scheme, host, optional port), at most 20. Invalid input changes nothing.',
    params: WidgetChannelParams, body: WidgetSettingsPatchSchema, response: WidgetSettingsSchema,
  }, async ({ params, body }) => {
    await existing(params.channel);
    const saved = await updateWidgetSettings(db, params.channel, body, widget.defaultSecret);
    widget.invalidate(params.channel);
    return saved;
  });

  route(router, {
    method: 'post', path: '/api/channels/:channel/widget-settings/identity-secret', operationId: 'rotateWidgetIdentitySecret', notFound: 'No service flow serves this channel', summary: "Replace a channel's identity secret (hashes made with the old one stop verifying)", tag: 'widget', access: 'admin',
    params: WidgetChannelParams, body: z.object({}).strict(), response: WidgetSettingsSchema,
  }, async ({ params }) => {
    await existing(params.channel);
    return rotateIdentitySecret(db, params.channel, widget.defaultSecret);
  });

  route(router, {
    method: 'get', path: '/api/widget/:channel', operationId: 'getWidgetConfig', notFound: 'No service flow serves this channel', summary: "The launcher's look, and whether the calling page's origin may embed the chat", tag: 'widget', access: 'public',
    description: 'Read by widget.js from the host page (CORS: any origin may read it). `originAllowed` judges the request\'s Origin header against the channel\'s allowed origins.',
    params: WidgetChannelParams, response: PublicWidgetConfigSchema,
  }, async ({ req, res, params }) => {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', Vary: 'Origin', 'Cache-Control': 'no-cache' });
    return widget.publicConfig(params.channel, req.get('origin'));
  });

  route(router, {
    method: 'post', path: '/api/visitor/identify', operationId: 'identifyVisitor', rateLimited: true, notFound: 'No service flow serves the channel, or the token names an unknown visitor', summary: 'Parley.identify: tell the desk who the visitor is on the site (verified by an HMAC of the id)', tag: 'visitor', access: 'visitor',
    description: '`hash`: hex HMAC-SHA256 of `id` keyed with the channel\'s identity secret. Verified: the visitor becomes (or is merged into) the one visitor of (channel, id), on every device; the answer carries its token. Without a hash or with a wrong one the id is only claimed: agents see the visitor as unverified, and no verified visitor\'s conversations are reachable. `embedOrigin` must be an allowed origin of the channel (403 otherwise).',
    body: IdentifyInputSchema, response: IdentifyResponseSchema,
  }, async ({ req, principal, body }) => {
    if (principal?.kind !== 'visitor') throw forbidden();
    const raw = attributeKeyProblem((req.body as { attributes?: unknown }).attributes);
    if (raw) throw badRequest(`body.attributes.${raw.key}: ${raw.message}`, `body.attributes.${raw.key}`);
    return widget.identify(principal.visitorId, body, req);
  });

  route(router, {
    method: 'post', path: '/api/visitor/attributes', operationId: 'setVisitorAttributes', rateLimited: true, notFound: 'No service flow serves the channel', summary: 'Parley.setAttributes: custom attributes of the visitor, merged over the stored ones', tag: 'visitor', access: 'visitor',
    description: `At most ${PROFILE_LIMITS.attributes} attributes. \`embedOrigin\` must be an allowed origin of the channel (403 otherwise).`,
    body: AttributesBody, response: z.object({ ok: z.literal(true) }),
  }, async ({ req, principal, body }) => {
    if (principal?.kind !== 'visitor') throw forbidden();
    const raw = attributeKeyProblem((req.body as { attributes?: unknown }).attributes);
    if (raw) throw badRequest(`body.attributes.${raw.key}: ${raw.message}`, `body.attributes.${raw.key}`);
    await widget.assertEmbedAllowed(req, body.channel, body.embedOrigin);
    await existing(body.channel);
    await widget.setAttributes(principal.visitorId, body.attributes);
    return { ok: true as const };
  });

  return router;
}
