import { z } from 'zod';

/**
 * The filter every report takes (GET /api/reports/<name>?…), and the admin search's drill-down links reuse
 * these query names. Days are local days of `tz`, both ends inclusive: `from=2026-03-01&to=2026-03-31`
 * is March in that zone. docs/metrics.md says which event of a conversation puts it in the range.
 */
export const MAX_REPORT_DAYS = 366;
export const DEFAULT_REPORT_TZ = 'UTC';

const isZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const Day = (name: string) => z.iso.date({ error: `${name} must be a date (YYYY-MM-DD)` });

/** Days between two YYYY-MM-DD dates (b - a). */
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** YYYY-MM-DD `n` days after (or before) `day`. */
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export const ReportFilterSchema = z.object({
  from: Day('from').describe('First day of the range (YYYY-MM-DD, a local day of tz)'),
  to: Day('to').describe('Last day of the range, inclusive (YYYY-MM-DD, a local day of tz)'),
  tz: z.string().max(64, 'tz must be at most 64 characters')
    .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, 'tz must be an IANA time zone name, e.g. Europe/Berlin or UTC')
    .refine(isZone, { error: 'tz must be an IANA time zone, e.g. Europe/Berlin or UTC' })
    .optional().describe('IANA time zone of the days and of the hour/day-of-week buckets (default UTC)'),
  teamId: z.string().min(1).max(64).optional().describe('Only conversations last served in (or queued for) this team'),
  agentId: z.uuid({ error: 'agentId must be an agent id (UUID)' }).optional().describe('Only this agent\'s conversations (the last agent who held them) and numbers'),
  channel: z.string().regex(/^[a-z0-9-]{1,32}$/, 'channel must be lowercase letters, digits or dashes').optional(),
  flowId: z.string().min(1).max(64).optional(),
  tag: z.uuid({ error: 'tag must be a tag id (UUID)' }).optional().describe('Only conversations with this tag'),
  compare: z.enum(['true', 'false'], { error: 'compare must be true or false' }).optional()
    .describe('Also compute the previous period of equal length (the days just before from)'),
}).strict()
  .refine((f) => f.from <= f.to, { error: 'from must be on or before to', path: ['to'] })
  .refine((f) => f.from > f.to || daysBetween(f.from, f.to) < MAX_REPORT_DAYS, { error: `the range must be at most ${MAX_REPORT_DAYS} days`, path: ['to'] });

/** The filter as the query string carries it (what clients send). */
export type ReportQuery = z.input<typeof ReportFilterSchema>;

/** The filter as the server uses it: the zone resolved and `compare` a boolean. */
export interface ReportFilter {
  from: string;
  to: string;
  tz: string;
  teamId?: string;
  agentId?: string;
  channel?: string;
  flowId?: string;
  tag?: string;
  compare: boolean;
}

export function toReportFilter(q: z.output<typeof ReportFilterSchema>): ReportFilter {
  return { ...q, tz: q.tz ?? DEFAULT_REPORT_TZ, compare: q.compare === 'true' };
}

/** The period of equal length just before the filter's range (the `compare` period). */
export function previousPeriod(f: Pick<ReportFilter, 'from' | 'to'>): { from: string; to: string } {
  const len = daysBetween(f.from, f.to) + 1;
  return { from: addDays(f.from, -len), to: addDays(f.from, -1) };
}
