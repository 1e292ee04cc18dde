import { Router } from 'express';
import { z } from 'zod';
import { openConversationsOfVisitor } from '../../db/queries.js';
import { blacklistLogOf, findVisitor, setVisitorBlocked } from '../../db/visitors.js';
import {
  addBlockedContact, listBlockedContacts, loadBlacklistSettings, removeBlockedContact, saveBlacklistSettings, visitorsWithContact,
} from '../../db/blacklist.js';
import {
  BlacklistSettingsSchema, BlockedContactInputSchema, BlockedContactSchema, BlockReasonSchema, normalizeContact,
} from '../../domain/blacklist.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import { integerParam } from '../http/integers.js';
import { route } from '../http/route.js';
import type { ConversationService } from '../services/conversations.js';
import { BlacklistLogEntrySchema as LogEntry } from '../../domain/contracts/rest.js';

const VisitorId = z.object({ id: z.uuid({ error: 'id must be a visitor id (UUID)' }) });
const ContactId = z.object({ contactId: integerParam('contactId', { min: 1, max: Number.MAX_SAFE_INTEGER }) });
const reasonOf = (body: { reason?: string }) => body.reason?.trim() || null;

/** Visitors blocked by identity or by a contact, and the desk's blacklist setting (issue 22, rule 3: docs/seeds.md). */
export function blacklistRoutes(ctx: ApiContext, conversationsService: ConversationService): Router {
  const router = Router();
  const { db } = ctx.database;

  /** Ends the visitors' open conversations when the desk says blocking does; how many ended. */
  async function endOpenConversations(principal: Extract<Principal, { kind: 'staff' }>, visitorIds: string[]): Promise<number> {
    if (!(await loadBlacklistSettings(db)).closeOpenConversations) return 0;
    // An agent ends what they serve (closed by "agent"); an admin any conversation.
    const closer = principal.role === 'admin' ? { kind: 'staff' as const, userId: principal.userId, role: 'admin' as const } : principal;
    let closed = 0;
    for (const visitorId of visitorIds) {
      for (const c of await openConversationsOfVisitor(db, visitorId)) {
        await conversationsService.close(closer, c.id).then(() => closed++, () => undefined);
      }
    }
    return closed;
  }

  route(router, {
    method: 'post', path: '/api/visitors/:id/block', operationId: 'blockVisitor', notFound: 'No such visitor', conflict: 'the visitor is already blocked',
    summary: 'Block a visitor (their open conversations end if the desk setting says so); admins, or the agent serving them', tag: 'blacklist', access: 'staff',
    description: 'The reason is optional, at most 250 characters. GET /api/settings/blacklist says whether open conversations end.',
    params: VisitorId, body: BlockReasonSchema, response: z.object({ blocked: z.literal(true), closed: z.number().int() }),
  }, async ({ principal, params, body }) => {
    if (principal?.kind !== 'staff') throw forbidden();
    const visitor = await findVisitor(db, params.id);
    if (!visitor) throw notFound('Visitor');
    const open = await openConversationsOfVisitor(db, params.id);
    if (principal.role !== 'admin' && !open.some((c) => c.agentId === principal.userId)) throw forbidden('Agents can block only a visitor they are serving');
    if (visitor.blocked) throw conflict('This visitor is already blocked');
    await setVisitorBlocked(db, params.id, { action: 'block', reason: reasonOf(body), actorId: principal.userId });
    return { blocked: true as const, closed: await endOpenConversations(principal, [params.id]) };
  });

  route(router, {
    method: 'post', path: '/api/visitors/:id/unblock', operationId: 'unblockVisitor', notFound: 'No such visitor', conflict: 'the visitor is not blocked', summary: 'Unblock a visitor (the reason is optional)', tag: 'blacklist', access: 'admin',
    params: VisitorId, body: BlockReasonSchema, response: z.object({ blocked: z.literal(false) }),
  }, async ({ principal, params, body }) => {
    const visitor = await findVisitor(db, params.id);
    if (!visitor) throw notFound('Visitor');
    if (!visitor.blocked) throw conflict('This visitor is not blocked');
    await setVisitorBlocked(db, params.id, { action: 'unblock', reason: reasonOf(body), actorId: principal!.kind === 'staff' ? principal!.userId : '' });
    return { blocked: false as const };
  });

  route(router, {
    method: 'get', path: '/api/visitors/:id/blacklist-log', operationId: 'getVisitorBlacklistLog', notFound: 'No such visitor', summary: 'Every block and unblock of a visitor, newest first', tag: 'blacklist', access: 'admin',
    params: VisitorId, response: z.object({ blocked: z.boolean(), log: z.array(LogEntry) }),
  }, async ({ params }) => {
    const visitor = await findVisitor(db, params.id);
    if (!visitor) throw notFound('Visitor');
    const rows = await blacklistLogOf(db, params.id);
    return { blocked: visitor.blocked, log: rows.map((r) => ({ action: r.action, reason: r.reason, actorId: r.actorId, at: r.at.toISOString() })) };
  });

  route(router, {
    method: 'get', path: '/api/settings/blacklist', operationId: 'getBlacklistSettings', summary: 'Whether blocking a visitor ends their open conversations', tag: 'blacklist', access: 'staff',
    response: BlacklistSettingsSchema,
  }, async () => loadBlacklistSettings(db));
  route(router, {
    method: 'put', path: '/api/settings/blacklist', operationId: 'updateBlacklistSettings', summary: 'Change whether blocking ends open conversations (Easemob: it does; B3Networks: it does not)', tag: 'blacklist', access: 'admin',
    body: BlacklistSettingsSchema.partial().strict(), response: BlacklistSettingsSchema,
  }, async ({ body }) => {
    const settings = BlacklistSettingsSchema.parse({ ...(await loadBlacklistSettings(db)), ...body });
    await saveBlacklistSettings(db, settings);
    return settings;
  });

  route(router, {
    method: 'get', path: '/api/blocked-contacts', operationId: 'listBlockedContacts', summary: 'Blocked e-mail addresses and phone numbers, newest first', tag: 'blacklist', access: 'admin',
    response: z.object({ contacts: z.array(BlockedContactSchema) }),
  }, async () => ({ contacts: await listBlockedContacts(db) }));
  route(router, {
    method: 'post', path: '/api/blocked-contacts', operationId: 'blockContact', conflict: 'this e-mail address or phone number is blocked already', status: 201,
    summary: 'Block an e-mail address or phone number: no visitor who gave it may start a conversation', tag: 'blacklist', access: 'admin',
    description: 'Compared case-insensitively (e-mail) or by its digits (phone: spaces, dots, slashes, dashes and brackets ignored). Open conversations of visitors who gave it end if the desk setting says so.',
    body: BlockedContactInputSchema, response: z.object({ contact: BlockedContactSchema, closed: z.number().int() }),
  }, async ({ principal, body }) => {
    if (principal?.kind !== 'staff') throw forbidden();
    const contact = await addBlockedContact(db, { kind: body.kind, value: body.value, reason: reasonOf(body), actorId: principal.userId });
    if (!contact) throw conflict(`This ${body.kind === 'email' ? 'e-mail address' : 'phone number'} is blocked already`);
    const visitorIds = await visitorsWithContact(db, body.kind, normalizeContact(body.kind, body.value)!);
    return { contact, closed: await endOpenConversations(principal, visitorIds) };
  });
  route(router, {
    method: 'delete', path: '/api/blocked-contacts/:contactId', operationId: 'unblockContact', notFound: 'No such blocked contact', summary: 'Unblock an e-mail address or phone number', tag: 'blacklist', access: 'admin',
    params: ContactId,
  }, async ({ params }) => {
    if (!(await removeBlockedContact(db, params.contactId))) throw notFound('Blocked contact');
    return { ok: true };
  });

  return router;
}
