import { Router } from 'express';
import { z } from 'zod';
import {
  CannedConflictError, createCanned, deleteCanned, findCanned, importCanned, listCannedInScope, loadCannedSettings, lookupCanned, lookupContext,
  saveCannedSettings, searchCanned, toCannedResponse, updateCanned, type CannedRow,
} from '../../db/canned-responses.js';
import { CANNED_LIMITS, cannedValuesFor, expandCanned } from '../../domain/canned/expand.js';
import { CannedFieldsSchema, CannedScopeSchema, CannedSettingsSchema, type CannedScope } from '../../domain/canned/schema.js';
import {
  CannedImportResultSchema, CannedListSchema, CannedMatchSchema, CannedResponseSchema, IdParams, InvalidCsvSchema,
} from '../../domain/contracts/rest.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import { integerParam } from '../http/integers.js';
import { ErrorSchema } from '../http/openapi.js';
import { route } from '../http/route.js';
import { cannedToCsv, CSV_MAX_ROWS, parseCannedCsv } from '../services/canned-csv.js';
import type { ConversationService } from '../services/conversations.js';

const CannedId = z.object({ id: z.uuid({ error: 'id must be a canned response id (UUID)' }) });
const Query = z.string().max(64, 'q: at most 64 characters');
const ScopeQuery = z.object({ scope: CannedScopeSchema.default('org') }).strict();

type Staff = Extract<Principal, { kind: 'staff' }>;
const staffOf = (principal: Principal | null): Staff => {
  if (principal?.kind !== 'staff') throw forbidden();
  return principal;
};

/** Organisation responses are the admins' to change; personal ones their owner's alone. */
function assertMayChange(who: Staff, scope: CannedScope): void {
  if (scope === 'org' && who.role !== 'admin') throw forbidden('Only admins change the organisation\'s canned responses; agents keep their own as personal ones');
}
const ownerFor = (who: Staff, scope: CannedScope) => (scope === 'org' ? null : who.userId);
const maxFor = (scope: CannedScope) => (scope === 'org' ? CANNED_LIMITS.orgCount : CANNED_LIMITS.personalCount);

const asConflict = (err: unknown): never => {
  if (err instanceof CannedConflictError) throw conflict(err.message);
  throw err;
};

export function cannedResponseRoutes(ctx: ApiContext, conversations: ConversationService): Router {
  const router = Router();
  const { db } = ctx.database;

  /** A response the caller may see: the organisation's, or their own (anyone else's is "not found"). */
  async function visible(who: Staff, id: string): Promise<CannedRow> {
    const row = await findCanned(db, id);
    if (!row || (row.ownerId !== null && row.ownerId !== who.userId)) throw notFound('Canned response');
    return row;
  }

  // The CSV routes come before /:id, whose pattern would otherwise claim their paths (405 guard).
  route(router, {
    method: 'get', path: '/api/canned-responses/export', operationId: 'exportCannedResponses', summary: 'One list of canned responses as CSV', tag: 'canned', access: 'staff',
    description: 'The organisation\'s list, or the caller\'s personal one, as a CSV file (columns shortcut,title,text,category; docs/canned-responses.md). Cells a spreadsheet would run as formulas start with an apostrophe, which the import removes.',
    query: ScopeQuery, csvResponse: 'The CSV file (UTF-8 with a byte-order mark), as an attachment',
  }, async ({ principal, query, res }) => {
    const who = staffOf(principal);
    const rows = await listCannedInScope(db, ownerFor(who, query.scope));
    res.type('text/csv; charset=utf-8').attachment(`canned-responses-${query.scope}.csv`).send(cannedToCsv(rows.map(toCannedResponse)));
  });

  route(router, {
    method: 'post', path: '/api/canned-responses/import', operationId: 'importCannedResponses', summary: 'Add or update canned responses from a CSV file, all or nothing', tag: 'canned', access: 'staff',
    description: 'Send the CSV as the body (Content-Type: text/csv). Rows add responses or, for a shortcut the list has, update it. Every row is checked first: any bad row answers 400 with each problem and its line, and nothing is imported. The organisation\'s list is for admins.',
    query: ScopeQuery, csvBody: { maxBytes: CANNED_LIMITS.importBytes }, conflict: 'the list would hold more responses than it may',
    response: CannedImportResultSchema,
    responses: { 400: { description: 'The file has bad rows (error code invalid_csv, each problem with its line; nothing was imported), or the body is not CSV text (bad_request)', schema: z.union([InvalidCsvSchema, ErrorSchema]) } },
  }, async ({ principal, query, req, res }) => {
    const who = staffOf(principal);
    assertMayChange(who, query.scope);
    const parsed = parseCannedCsv(req.body as string, Math.min(CSV_MAX_ROWS, maxFor(query.scope)));
    if (!parsed.ok) {
      const n = parsed.problems.length;
      res.status(400).json({ error: { code: 'invalid_csv', message: `The file has ${n} problem${n === 1 ? '' : 's'}; nothing was imported` }, problems: parsed.problems });
      return;
    }
    return importCanned(db, ownerFor(who, query.scope), parsed.rows, maxFor(query.scope)).catch(asConflict);
  });

  route(router, {
    method: 'get', path: '/api/canned-responses', operationId: 'listCannedResponses', summary: 'Canned responses: the organisation\'s and the caller\'s own', tag: 'canned', access: 'staff',
    description: '`q` matches the start of a shortcut, or a title or category anywhere (case-insensitive); best matches first.',
    query: z.object({
      q: Query.optional(), scope: z.enum(['all', 'org', 'personal']).default('all'), limit: integerParam('limit', { min: 1, max: CANNED_LIMITS.orgCount }).default(50),
    }).strict(),
    response: CannedListSchema,
  }, async ({ principal, query }) => {
    const who = staffOf(principal);
    const scopes: CannedScope[] = query.scope === 'all' ? ['personal', 'org'] : [query.scope];
    const found = await searchCanned(db, { userId: who.userId, scopes, q: query.q, limit: query.limit });
    return { responses: found.rows.map(toCannedResponse), total: found.total };
  });

  route(router, {
    method: 'post', path: '/api/canned-responses', operationId: 'createCannedResponse', summary: 'Add a canned response to the organisation\'s list (admins) or one\'s own', tag: 'canned', access: 'staff', status: 201,
    conflict: 'the shortcut is already used in that list, or the list is full',
    body: CannedFieldsSchema.extend({ scope: CannedScopeSchema }).strict(),
    response: CannedResponseSchema,
  }, async ({ principal, body }) => {
    const who = staffOf(principal);
    assertMayChange(who, body.scope);
    const { scope, ...fields } = body;
    return toCannedResponse(await createCanned(db, ownerFor(who, scope), fields, maxFor(scope)).catch(asConflict));
  });

  route(router, {
    method: 'patch', path: '/api/canned-responses/:id', operationId: 'updateCannedResponse', summary: 'Change a canned response', tag: 'canned', access: 'staff',
    notFound: 'No such canned response (another agent\'s personal ones are not shown)', conflict: 'the new shortcut is already used in that list',
    params: CannedId, body: CannedFieldsSchema.partial().strict(), response: CannedResponseSchema,
  }, async ({ principal, params, body }) => {
    const who = staffOf(principal);
    const row = await visible(who, params.id);
    assertMayChange(who, row.ownerId ? 'personal' : 'org');
    if (Object.keys(body).length === 0) return toCannedResponse(row);
    return toCannedResponse(await updateCanned(db, row, body).catch(asConflict));
  });

  route(router, {
    method: 'delete', path: '/api/canned-responses/:id', operationId: 'deleteCannedResponse', summary: 'Delete a canned response', tag: 'canned', access: 'staff',
    notFound: 'No such canned response (another agent\'s personal ones are not shown)', params: CannedId,
  }, async ({ principal, params }) => {
    const who = staffOf(principal);
    const row = await visible(who, params.id);
    assertMayChange(who, row.ownerId ? 'personal' : 'org');
    await deleteCanned(db, row.id);
    return { ok: true };
  });

  route(router, {
    method: 'get', path: '/api/conversations/:id/canned-responses', operationId: 'lookupCannedResponses', summary: 'The composer\'s lookup: matching canned responses, expanded for this conversation', tag: 'canned', access: 'staff',
    description: 'What the workbench asks while an agent types `/…`: shortcuts starting with `q` (the caller\'s, then the organisation\'s), then titles or categories containing it, each with `expanded`, its text with the variables filled in for this conversation and the caller as the agent (unknown variables stay as written). Agents: only in conversations they hold.',
    notFound: 'No such conversation',
    params: IdParams, query: z.object({ q: Query.optional(), limit: integerParam('limit', { min: 1, max: CANNED_LIMITS.lookup }).default(10) }).strict(),
    response: z.object({ responses: z.array(CannedMatchSchema), more: z.boolean().meta({ description: 'More responses match than were returned' }) }),
  }, async ({ principal, params, query }) => {
    const who = staffOf(principal);
    // One round of queries: the access check runs beside the lookup, and a refusal discards its result.
    const [conversation, found, context] = await Promise.all([
      conversations.getVisible(who, params.id),
      lookupCanned(db, { userId: who.userId, q: query.q ?? '', limit: query.limit + 1 }),
      lookupContext(db, who.userId),
    ]);
    const values = cannedValuesFor({ conversation, agentName: context.nickname, defaultAddress: context.settings.defaultAddress });
    const rows = found.slice(0, query.limit);
    return { responses: rows.map((r) => ({ ...toCannedResponse(r), expanded: expandCanned(r.text, values) })), more: found.length > query.limit };
  });

  route(router, {
    method: 'get', path: '/api/settings/canned-responses', operationId: 'getCannedSettings', summary: 'Canned-response settings: the default form of address', tag: 'canned', access: 'staff',
    description: '`defaultAddress` replaces `${visitorName}` (and `##dear##`) for a visitor who gave no name.',
    response: CannedSettingsSchema,
  }, async () => loadCannedSettings(db));

  route(router, {
    method: 'put', path: '/api/settings/canned-responses', operationId: 'updateCannedSettings', summary: 'Change the default form of address', tag: 'canned', access: 'admin',
    body: CannedSettingsSchema, response: CannedSettingsSchema,
  }, async ({ body }) => {
    await saveCannedSettings(db, body);
    return loadCannedSettings(db);
  });

  return router;
}
