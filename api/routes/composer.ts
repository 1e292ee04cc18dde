import { Router } from 'express';
import { ComposerSettingsSchema, ConversationReceiptsSchema } from '../../domain/composer.js';
import { IdParams } from '../../domain/contracts/rest.js';
import { route } from '../http/route.js';
import type { ComposerService } from '../services/composer.js';

/** Composer: delivery/read receipts of a conversation, and the desk's composer settings (typing previews). */
export function composerRoutes(composer: ComposerService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/conversations/:id/receipts', operationId: 'getConversationReceipts', notFound: 'No such conversation (a visitor sees only their own)',
    summary: 'How far the visitor has received and read the conversation, and the caller\'s own read position', tag: 'conversations', access: 'visitor-or-staff',
    params: IdParams, response: ConversationReceiptsSchema,
  }, async ({ principal, params }) => composer.receipts(principal!, params.id));

  route(router, {
    method: 'get', path: '/api/settings/composer', operationId: 'getComposerSettings', summary: 'Desk composer settings (typing previews)', tag: 'routing', access: 'admin',
    response: ComposerSettingsSchema,
  }, async () => composer.settings());

  route(router, {
    method: 'put', path: '/api/settings/composer', operationId: 'updateComposerSettings', summary: 'Change the desk composer settings',
    description: 'typingPreview: staff see what a visitor is typing before it is sent. Off by default; turn it on only where the desk tells visitors so (privacy).',
    tag: 'routing', access: 'admin', body: ComposerSettingsSchema.partial().strict(), response: ComposerSettingsSchema,
  }, async ({ body }) => composer.saveSettings({ ...(await composer.settings()), ...body }));

  return router;
}
