import type { ConversationStatus } from './conversation.js';
import type { ClosedBy } from './messages.js';

/**
 * Issue 21: the admin's search over every conversation (GET /api/search/conversations, its CSV, the
 * /admin/search screen). The report filter's query names (from, to, tz, teamId, agentId, channel, flowId,
 * tag: domain/reports/filter.ts) mean the same here, so a report's drill-down is a link to
 * /admin/search?<its filter>; the search adds q, visitor, status, closedBy, rating and comment.
 */

/** Ratings to find: a score (1–5) or `none` (not rated). */
export const SEARCH_RATINGS = ['1', '2', '3', '4', '5', 'none'] as const;
export type SearchRating = (typeof SEARCH_RATINGS)[number];

export interface SearchFilters {
  /** Words in the messages (db/history.ts: full-text, then trigram). */
  q?: string;
  /** Any part of the visitor's name, e-mail or phone, or their external id exactly. */
  visitor?: string;
  /** Created on or after this day (YYYY-MM-DD) in `tz`. */
  from?: string;
  /** Created on or before this day (YYYY-MM-DD, inclusive) in `tz`. */
  to?: string;
  /** The IANA zone the days are in (default UTC). */
  tz?: string;
  teamId?: string[];
  agentId?: string[];
  channel?: string[];
  flowId?: string[];
  /** Tag ids: conversations with any of them. */
  tag?: string[];
  status?: ConversationStatus[];
  closedBy?: ClosedBy[];
  rating?: SearchRating[];
  /** Whether the counted rating has a comment. */
  comment?: 'yes' | 'no';
}

/** Past this many matching conversations the total is given as "more than" (a count that stays fast). */
export const SEARCH_COUNT_CAP = 500;
export const MAX_VISITOR_SEARCH = 200;
/** Lists (team ids, statuses, …) take at most this many values. */
export const MAX_FILTER_VALUES = 20;

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The CSV export's columns, in order (the header row). */
export const SEARCH_CSV_COLUMNS = [
  'conversation_id', 'created_at', 'ended_at', 'status', 'closed_by', 'channel', 'team', 'agent', 'visitor_name', 'visitor_email',
  'visitor_phone', 'visitor_external_id', 'flow_id', 'flow_version', 'rating', 'rating_comment', 'tags', 'messages', 'workflow_id',
] as const;

/** A cell a spreadsheet would run as a formula starts with an apostrophe (as the canned-response export does). */
export function csvSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
