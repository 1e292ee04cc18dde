import { Router } from 'express';
import { z } from 'zod';
import { decodeCursor } from '../../db/history.js';
import { ConversationStatusSchema } from '../../domain/conversation.js';
import { ConversationRecordSchema, IdParams, SearchPageSchema, TranscriptSchema } from '../../domain/contracts/rest.js';
import { MAX_SEARCH_LENGTH } from '../../domain/history.js';
import { ClosedBySchema } from '../../domain/messages.js';
import {
  isTimeZone, MAX_FILTER_VALUES, MAX_VISITOR_SEARCH, SEARCH_COUNT_CAP, SEARCH_CSV_COLUMNS, SEARCH_RATINGS, type SearchFilters,
} from '../../domain/search.js';
import { TRANSCRIPT_LOCALES } from '../../domain/transcript.js';
import type { ApiContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { integerParam } from '../http/integers.js';
import { route } from '../http/route.js';
import { searchService } from '../services/search.js';

const oneOrMany = <T extends z.ZodType>(item: T, name: string) =>
  z.union([item, z.array(item).max(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} ${name} values`)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as Array<z.output<T>>);
const Id = (name: string) => z.string().min(1, `${name} must not be empty`).max(100, `${name} must be at most 100 characters`);
const Day = (name: string) => z.iso.date({ error: `${name} must be a date (YYYY-MM-DD)` });

/** The report filter's names (domain/reports/filter.ts) and the search's own. */
const SearchFilterQuery = z.object({
  q: z.string().max(MAX_SEARCH_LENGTH, `q must be at most ${MAX_SEARCH_LENGTH} characters`).optional()
    .describe('Words in the messages: whole words and word starts; when none matches, anywhere inside words. Chinese, Japanese and Korean text matches any substring.'),
  visitor: z.string().max(MAX_VISITOR_SEARCH, `visitor must be at most ${MAX_VISITOR_SEARCH} characters`).optional()
    .describe('Any part of the visitor\'s name, e-mail or phone (3 characters or more, or any Chinese, Japanese or Korean; shorter: the whole value), or their external id'),
  from: Day('from').optional().describe('Created on or after this day, in tz'),
  to: Day('to').optional().describe('Created on or before this day (inclusive), in tz'),
  tz: z.string().max(64).refine(isTimeZone, 'tz must be an IANA time zone, like Europe/Berlin').optional().describe('The zone of from and to (default UTC)'),
  teamId: oneOrMany(Id('teamId'), 'teamId').optional(),
  agentId: oneOrMany(z.uuid({ error: 'agentId must be an agent id (UUID)' }), 'agentId').optional().describe('The agent holding (or last holding) the conversation'),
  channel: oneOrMany(Id('channel'), 'channel').optional(),
  flowId: oneOrMany(Id('flowId'), 'flowId').optional(),
  tag: oneOrMany(z.uuid({ error: 'tag must be a tag id (UUID)' }), 'tag').optional().describe('Tag ids: conversations with any of them'),
  status: oneOrMany(ConversationStatusSchema, 'status').optional(),
  closedBy: oneOrMany(ClosedBySchema, 'closedBy').optional(),
  rating: oneOrMany(z.enum(SEARCH_RATINGS), 'rating').optional().describe('Ratings (1–5), or none for unrated'),
  comment: z.enum(['yes', 'no']).optional().describe('Whether the counted rating has a comment'),
});

const PageQuery = SearchFilterQuery.extend({
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: integerParam('limit', { min: 1, max: 100 }).default(25),
}).strict();

function filtersOf(query: z.output<typeof SearchFilterQuery>): SearchFilters {
  if (query.from && query.to && query.from > query.to) throw badRequest('from must be on or before to', 'from');
  const { q, visitor, ...rest } = query;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as SearchFilters;
  return { ...defined, ...(q?.trim() ? { q } : {}), ...(visitor?.trim() ? { visitor } : {}) };
}

/** `format=json`: the transcript and its record. */
const TranscriptExportSchema = TranscriptSchema.extend({ record: ConversationRecordSchema });

export function searchRoutes(ctx: ApiContext): Router {
  const router = Router();
  const search = searchService(ctx);

  route(router, {
    method: 'get', path: '/api/search/conversations', operationId: 'searchConversations', tag: 'search', access: 'admin',
    summary: 'Search every conversation: message words, the visitor, tags, agent, team, channel, flow, status, rating, dates',
    description: `Newest first, paged by cursor (no cap on how far). With \`q\`, only conversations with a matching message, each with a snippet of its latest match. \`total\` counts up to ${SEARCH_COUNT_CAP} (then \`capped\`). The filter names are the reports' (from, to, tz, teamId, agentId, channel, flowId, tag), so a report's drill-down passes its filter on.`,
    query: PageQuery, response: SearchPageSchema,
  }, async ({ principal, query }) => {
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor) throw badRequest('cursor is not one this API gave out', 'cursor');
    const { cursor: _c, limit, ...filters } = query;
    return search.page(principal, filtersOf(filters), cursor, limit);
  });

  route(router, {
    method: 'get', path: '/api/search/conversations.csv', operationId: 'exportConversationSearch', tag: 'search', access: 'admin',
    summary: 'Every conversation the search finds, as CSV (streamed)',
    description: `The same filters as searchConversations, every match (no paging), newest first. Columns: ${SEARCH_CSV_COLUMNS.join(', ')}. UTF-8 with a byte-order mark; cells a spreadsheet would run as formulas start with an apostrophe.`,
    query: SearchFilterQuery.strict(), csvResponse: 'The CSV file, as an attachment',
  }, async ({ principal, query, res }) => {
    const filters = filtersOf(query);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="conversations-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('Cache-Control', 'private, no-store');
    await search.csv(principal, filters, res);
  });

  route(router, {
    method: 'get', path: '/api/conversations/:id/record', operationId: 'getConversationRecord', tag: 'search', access: 'staff',
    notFound: 'No such conversation',
    summary: 'A conversation\'s ratings (with comments), transfers (with outcomes) and status timeline',
    description: 'Who may read it: as the transcript (admins any; agents one they served, or an earlier one of a visitor they are serving).',
    params: IdParams, response: ConversationRecordSchema,
  }, async ({ principal, params }) => search.record(principal, params.id));

  route(router, {
    method: 'get', path: '/api/conversations/:id/transcript/export', operationId: 'exportTranscript', tag: 'search', access: 'staff',
    notFound: 'No such conversation',
    summary: 'A conversation\'s transcript for staff, as a text or JSON file (private notes included)',
    description: '`format=text`: plain text (UTF-8), `locale` words the header lines; `format=json`: the transcript and its record (ratings, transfers, timeline). Who may: as the transcript.',
    params: IdParams,
    query: z.object({ format: z.enum(['text', 'json']).default('text'), locale: z.enum(TRANSCRIPT_LOCALES).default('en') }).strict(),
    rawResponse: { description: 'The transcript (text/plain or application/json; charset=utf-8), as an attachment', json: TranscriptExportSchema },
  }, async ({ principal, params, query, res }) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    if (query.format === 'json') {
      const [transcript, record] = [await search.transcript(principal, params.id), await search.record(principal, params.id)];
      const body = TranscriptExportSchema.parse({ ...transcript, record });
      res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="transcript-${params.id}.json"`);
      res.end(JSON.stringify(body, null, 2));
      return;
    }
    const text = await search.transcriptText(principal, params.id, query.locale);
    res.status(200).setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="transcript-${params.id}.txt"`);
    res.end(text);
  });

  return router;
}
