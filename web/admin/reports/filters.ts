import type { ReportQuery } from '../../../domain/reports/filter';

/** The report filter's query names (domain/reports/filter.ts); the search screen takes the same ones. */
export const FILTER_KEYS = ['from', 'to', 'tz', 'teamId', 'agentId', 'channel', 'flowId', 'tag'] as const;
export type FilterKey = typeof FILTER_KEYS[number];
export type ReportFilterState = Record<FilterKey, string> & { compare: boolean };

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const browserZone = () => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; } };

/** The last 7 days up to today, in the browser's time zone, compared with the 7 before. */
export function defaultFilter(now = new Date()): ReportFilterState {
  const from = new Date(now);
  from.setDate(from.getDate() - 6);
  return { from: day(from), to: day(now), tz: browserZone(), teamId: '', agentId: '', channel: '', flowId: '', tag: '', compare: true };
}

/** The filter a URL's query says, the defaults for what it leaves out. */
export function filterFromQuery(query: Record<string, unknown>, now = new Date()): ReportFilterState {
  const f = defaultFilter(now);
  for (const k of FILTER_KEYS) {
    const value = query[k];
    if (typeof value === 'string' && value) f[k] = value;
  }
  if (query.compare === 'false') f.compare = false;
  return f;
}

/** The filter as query parameters (empty ones left out): the report requests, the page's URL and drill-downs. */
export function filterToQuery(f: ReportFilterState, withCompare = true): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (f[k]) q[k] = f[k];
  if (withCompare) q.compare = f.compare ? 'true' : 'false';
  return q;
}

export const reportQuery = (f: ReportFilterState): ReportQuery => filterToQuery(f) as ReportQuery;

/** Drill-down: the search screen with the same filters, narrowed by `extra` (a day, a channel, a team, …). */
export function drillDown(f: ReportFilterState, extra: Partial<Record<string, string>> = {}): { path: string; query: Record<string, string> } {
  const query = { ...filterToQuery(f, false) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') query[k] = v;
  return { path: '/search', query };
}

/** Change from the previous period as a signed percentage (null when there is nothing to compare with). */
export function change(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now == null || before == null || before === 0) return null;
  return Math.round(((now - before) / before) * 100);
}
