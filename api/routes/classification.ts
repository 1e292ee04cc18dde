import { Router } from 'express';
import { z } from 'zod';
import { IdParams } from '../../domain/contracts/rest.js';
import {
  CallReasonInputSchema, CallReasonSchema, ClassificationInputSchema, ClassificationSchema, ClosingSettingsSchema, TagInputSchema, TagPatchSchema, TagSchema,
} from '../../domain/classification.js';
import {
  createCallReason, createTag, isDuplicateName, listCallReasons, listTags, loadClosingSettings, saveClosingSettings, updateCallReason, updateTag,
} from '../../db/classification.js';
import type { ApiContext } from '../context.js';
import { conflict, notFound } from '../http/errors.js';
import { route } from '../http/route.js';
import type { ConversationService } from '../services/conversations.js';
import { classificationService } from '../services/classification.js';

const TagParams = z.object({ tagId: z.uuid({ error: 'tagId must be a tag id (UUID)' }) });
const ReasonParams = z.object({ reasonId: z.uuid({ error: 'reasonId must be a call reason id (UUID)' }) });
const ListQuery = z.object({ archived: z.enum(['true', 'false']).optional() }).strict();

/** Renames the unique-name violation to a clear 409. */
async function uniqueName<T>(what: string, name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateName(err)) throw conflict(`A ${what} named "${name}" already exists`);
    throw err;
  }
}

/** Tags, call reasons (admin-managed lists), a conversation's classification, and the desk's closing rules. */
export function classificationRoutes(ctx: ApiContext, conversations: ConversationService): Router {
  const router = Router();
  const { db } = ctx.database;
  const classification = classificationService(ctx, conversations);

  route(router, {
    method: 'get', path: '/api/tags', operationId: 'listTags', summary: 'Tags, by name (archived ones with archived=true)', tag: 'classification', access: 'staff',
    query: ListQuery, response: z.object({ tags: z.array(TagSchema) }),
  }, async ({ query }) => ({ tags: await listTags(db, { archived: query.archived === 'true' }) }));
  route(router, {
    method: 'post', path: '/api/tags', operationId: 'createTag', conflict: 'a tag with this name exists', summary: 'Create a tag', tag: 'classification', access: 'admin',
    body: TagInputSchema, response: TagSchema, status: 201,
  }, async ({ body }) => uniqueName('tag', body.name, () => createTag(db, body)));
  route(router, {
    method: 'patch', path: '/api/tags/:tagId', operationId: 'updateTag', notFound: 'No such tag', conflict: 'a tag with this name exists', summary: 'Rename or recolour a tag', tag: 'classification', access: 'admin',
    params: TagParams, body: TagPatchSchema.extend({ archived: z.boolean().optional() }).strict(), response: TagSchema,
  }, async ({ params, body }) => (await uniqueName('tag', body.name, () => updateTag(db, params.tagId, body))) ?? (() => { throw notFound('Tag'); })());
  route(router, {
    method: 'delete', path: '/api/tags/:tagId', operationId: 'archiveTag', notFound: 'No such tag', summary: 'Archive a tag: no longer offered; conversations keep it', tag: 'classification', access: 'admin',
    params: TagParams, response: TagSchema,
  }, async ({ params }) => (await updateTag(db, params.tagId, { archived: true })) ?? (() => { throw notFound('Tag'); })());

  route(router, {
    method: 'get', path: '/api/call-reasons', operationId: 'listCallReasons', summary: 'Call reasons, by name (archived ones with archived=true)', tag: 'classification', access: 'staff',
    query: ListQuery, response: z.object({ callReasons: z.array(CallReasonSchema) }),
  }, async ({ query }) => ({ callReasons: await listCallReasons(db, { archived: query.archived === 'true' }) }));
  route(router, {
    method: 'post', path: '/api/call-reasons', operationId: 'createCallReason', conflict: 'a call reason with this name exists', summary: 'Create a call reason', tag: 'classification', access: 'admin',
    body: CallReasonInputSchema, response: CallReasonSchema, status: 201,
  }, async ({ body }) => uniqueName('call reason', body.name, () => createCallReason(db, body)));
  route(router, {
    method: 'patch', path: '/api/call-reasons/:reasonId', operationId: 'updateCallReason', notFound: 'No such call reason', conflict: 'a call reason with this name exists', summary: 'Rename, archive or restore a call reason', tag: 'classification', access: 'admin',
    params: ReasonParams, body: CallReasonInputSchema.partial().extend({ archived: z.boolean().optional() }).strict(), response: CallReasonSchema,
  }, async ({ params, body }) => (await uniqueName('call reason', body.name, () => updateCallReason(db, params.reasonId, body))) ?? (() => { throw notFound('Call reason'); })());

  route(router, {
    method: 'get', path: '/api/conversations/:id/classification', operationId: 'getClassification', notFound: 'No such conversation',
    summary: 'Tags, call reason, remarks and handled number (agents: conversations they hold, served or are mentioned in; admins: all)', tag: 'classification', access: 'staff',
    params: IdParams, response: ClassificationSchema,
  }, async ({ principal, params }) => classification.get(principal!, params.id));
  route(router, {
    method: 'put', path: '/api/conversations/:id/classification', operationId: 'setClassification', notFound: 'No such conversation, tag or call reason',
    summary: 'Set tags (the whole set), call reason, remarks, handled number (≤ 50 characters); during or after the chat', tag: 'classification', access: 'staff',
    params: IdParams, body: ClassificationInputSchema, response: ClassificationSchema,
  }, async ({ principal, params, body }) => classification.set(principal!, params.id, body));

  route(router, {
    method: 'get', path: '/api/settings/closing', operationId: 'getClosingSettings', summary: 'What staff must set before closing a conversation', tag: 'classification', access: 'staff',
    response: ClosingSettingsSchema,
  }, async () => loadClosingSettings(db));
  route(router, {
    method: 'put', path: '/api/settings/closing', operationId: 'updateClosingSettings', summary: 'Require a tag and/or a call reason before staff close a conversation (partial update)', tag: 'classification', access: 'admin',
    body: ClosingSettingsSchema.partial().strict(), response: ClosingSettingsSchema,
  }, async ({ body }) => {
    const settings = { ...(await loadClosingSettings(db)), ...body };
    await saveClosingSettings(db, settings);
    return settings;
  });

  return router;
}
