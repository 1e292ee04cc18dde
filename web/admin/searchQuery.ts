import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { SearchFilters } from '../../domain/search.js';

/**
 * Issue 21, the admin search (/admin/search): its filters live in the URL under the API's query names,
 * so a report's drill-down link (`/admin/search?from=…&to=…&agentId=…`) lands on the filtered list and
 * a search can be bookmarked or shared.
 */

const TEXT_KEYS = ['q', 'visitor', 'from', 'to', 'tz'] as const;
const LIST_KEYS = ['teamId', 'agentId', 'channel', 'flowId', 'tag', 'status', 'closedBy', 'rating'] as const;
export type SearchListKey = (typeof LIST_KEYS)[number];

const first = (v: LocationQuery[string]) => (Array.isArray(v) ? v[0] : v) ?? undefined;
const all = (v: LocationQuery[string]) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is string => !!x);

/** The filters a URL's query carries (unknown keys ignored; the API checks the values). */
/** Filters as text from a URL or a form; the API checks the values. */
export type LooseFilters = Record<string, string | string[] | undefined>;
export const asFilters = (f: LooseFilters) => f as SearchFilters;

export function filtersFromQuery(query: LocationQuery): SearchFilters {
  const f: LooseFilters = {};
  for (const k of TEXT_KEYS) {
    const v = first(query[k]);
    if (v) f[k] = v;
  }
  for (const k of LIST_KEYS) {
    const v = all(query[k]);
    if (v.length) f[k] = v;
  }
  const comment = first(query.comment);
  if (comment === 'yes' || comment === 'no') f.comment = comment;
  return asFilters(f);
}

/** The URL query of some filters (empty ones left out). */
export function queryFromFilters(f: SearchFilters): LocationQueryRaw {
  const q: LocationQueryRaw = {};
  for (const [k, v] of Object.entries(f) as Array<[string, string | string[] | undefined]>) {
    if (Array.isArray(v) ? v.length : v) q[k] = v;
  }
  return q;
}
