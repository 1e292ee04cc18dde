import { Router } from 'express';
import { z } from 'zod';
import { decodeCursor, type HistoryFilters } from '../../db/history.js';
import { ConversationStatusSchema } from '../../domain/conversation.js';
import { HistoryPageSchema, IdParams, TranscriptSchema, VisitorConversationsSchema } from '../../domain/contracts/rest.js';
import { MAX_SEARCH_LENGTH } from '../../domain/history.js';
import type { ApiContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { integerParam } from '../http/integers.js';
import { route } from '../http/route.js';
import { historyService } from '../services/history.js';

const oneOrMany = <T extends z.ZodType>(item: T, max: number, name: string) =>
  z.union([item, z.array(item).max(max, `at most ${max} ${name} values`)]).transform((v) => (Array.isArray(v) ? v : [v]) as Array<z.output<T>>);

/** A day (YYYY-MM-DD, UTC) or an instant with its offset. */
const DayOrInstant = (name: string) => z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: `${name} must be a date (YYYY-MM-DD) or an ISO date-time with an offset` });

const HistoryQuery = z.object({
  q: z.string().max(MAX_SEARCH_LENGTH, `q must be at most ${MAX_SEARCH_LENGTH} characters`).optional()
    .describe('Words to find in the messages: whole words and word starts; when none matches, anywhere inside words. Chinese, Japanese and Korean text matches any substring.'),
  status: oneOrMany(ConversationStatusSchema, 6, 'status').optional(),
  from: DayOrInstant('from').optional().describe('Created on or after (a day counts from its start, UTC)'),
  to: DayOrInstant('to').optional().describe('Created on or before (a day counts to its end, UTC)'),
  tag: oneOrMany(z.uuid(), 20, 'tag').optional().describe('Tag ids: conversations with any of them'),
  rating: oneOrMany(z.enum(['1', '2', '3', '4', '5', 'none']), 6, 'rating').optional().describe('Ratings (1–5), or none for unrated'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: integerParam('limit', { min: 1, max: 100 }).default(20),
}).strict();

const DAY_MS = 86_400_000;
const startOf = (v: string) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v);

export function historyRoutes(ctx: ApiContext): Router {
  const router = Router();
  const history = historyService(ctx);

  route(router, {
    method: 'get', path: '/api/me/conversations', operationId: 'listMyConversations', tag: 'history', access: 'staff',
    summary: 'My conversations: the ones I served, newest first, filtered and searched',
    description: 'Conversations the caller held, transferred away or took over, paged by cursor. With `q`, only those with a matching message, each with a plain-text snippet of its latest match.',
    query: HistoryQuery, response: HistoryPageSchema,
  }, async ({ principal, query }) => {
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor) throw badRequest('cursor is not one this API gave out', 'cursor');
    const from = query.from ? startOf(query.from) : undefined;
    const before = query.to ? new Date(startOf(query.to).getTime() + (query.to.length === 10 ? DAY_MS : 1)) : undefined;
    if (from && before && from >= before) throw badRequest('from must be before to', 'from');
    const filters: HistoryFilters = {
      ...(query.q?.trim() ? { q: query.q } : {}),
      ...(query.status ? { statuses: query.status } : {}),
      ...(from ? { from } : {}),
      ...(before ? { before } : {}),
      ...(query.tag ? { tags: query.tag } : {}),
      ...(query.rating ? { ratings: query.rating.map((r) => (r === 'none' ? 'none' : Number(r) as 1 | 2 | 3 | 4 | 5)) } : {}),
    };
    return history.myConversations(principal, filters, cursor, query.limit);
  });

  route(router, {
    method: 'get', path: '/api/conversations/:id/transcript', operationId: 'getTranscript', tag: 'history', access: 'staff',
    notFound: 'No such conversation',
    summary: 'A read-only transcript: admins any; agents one they served, or an earlier one of a visitor they are serving',
    params: IdParams, response: TranscriptSchema,
  }, async ({ principal, params }) => history.transcript(principal, params.id));

  route(router, {
    method: 'get', path: '/api/visitors/:id/conversations', operationId: 'listVisitorConversations', tag: 'history', access: 'staff',
    notFound: 'No such visitor',
    summary: 'A visitor\'s earlier (closed) conversations, newest first: admins, or the agent serving the visitor',
    params: z.object({ id: z.uuid({ error: 'id must be a visitor id (UUID)' }) }),
    query: z.object({ limit: integerParam('limit', { min: 1, max: 100 }).default(20) }).strict(),
    response: VisitorConversationsSchema,
  }, async ({ principal, params, query }) => history.visitorConversations(principal, params.id, query.limit));

  return router;
}
