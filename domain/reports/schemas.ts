import { z } from 'zod';

/**
 * Response shapes of the reports (GET /api/reports/<name>): the OpenAPI document is generated from them
 * and the web apps import their types (type-only). Every number is defined in docs/metrics.md.
 * Times are seconds; a statistic over no samples is null. With `compare=true` a report also carries
 * `previous`: the same totals for the period of equal length just before.
 */

export const REPORT_NAMES = ['volume', 'times', 'quality', 'agents', 'transfers', 'offers'] as const;
export type ReportName = typeof REPORT_NAMES[number];

const count = () => z.number().int().min(0);
const seconds = () => z.number().min(0).nullable();

export const ReportPeriodSchema = z.object({
  from: z.string().describe('YYYY-MM-DD'), to: z.string().describe('YYYY-MM-DD, inclusive'), tz: z.string(),
});
export type ReportPeriod = z.infer<typeof ReportPeriodSchema>;

/** A time statistic over `count` samples. */
export const DurationStatsSchema = z.object({ count: count(), avg: seconds(), p50: seconds(), p90: seconds() });
export type DurationStats = z.infer<typeof DurationStatsSchema>;

/* ---- volume ---- */

export const VolumeTotalsSchema = z.object({
  started: count(),
  /** Reached an agent (assigned at least once). */
  served: count(),
  abandonedInQueue: count(),
  leftMessage: count(),
  /** Ended by the service flow without ever reaching the queue. */
  botOnly: count(),
  /** Still open at the end of the range (counted in started). */
  open: count(),
  closedBy: z.object({
    visitor: count(), agent: count(), admin: count(), timer: count(), flow: count(), system: count(), leftMessage: count(),
  }),
});
export type VolumeTotals = z.infer<typeof VolumeTotalsSchema>;

export const VolumeBucketSchema = z.object({
  key: z.string().describe('The bucket: a date (YYYY-MM-DD), an hour (0–23), a day of week (1 Monday … 7 Sunday), or an id'),
  label: z.string().describe('What to show: the team\'s, flow\'s or tag\'s name; the key otherwise'),
  started: count(), served: count(), abandonedInQueue: count(), leftMessage: count(),
});
export type VolumeBucket = z.infer<typeof VolumeBucketSchema>;

export const VolumeReportSchema = z.object({
  period: ReportPeriodSchema,
  totals: VolumeTotalsSchema,
  byDay: z.array(VolumeBucketSchema),
  byHourOfDay: z.array(VolumeBucketSchema).describe('24 buckets, hours of tz'),
  byDayOfWeek: z.array(VolumeBucketSchema).describe('7 buckets, ISO days of week (1 Monday) in tz'),
  byChannel: z.array(VolumeBucketSchema),
  byTeam: z.array(VolumeBucketSchema).describe('key "" : no team'),
  byFlow: z.array(VolumeBucketSchema),
  byTag: z.array(VolumeBucketSchema).describe('A conversation with several tags counts in each'),
  previous: z.object({ period: ReportPeriodSchema, totals: VolumeTotalsSchema }).optional(),
}).meta({ id: 'VolumeReport' });
export type VolumeReport = z.infer<typeof VolumeReportSchema>;

/* ---- times ---- */

export const TimesTotalsSchema = z.object({
  queueWait: DurationStatsSchema,
  firstResponse: DurationStatsSchema,
  handleTime: DurationStatsSchema,
  resolution: DurationStatsSchema,
  offerAccept: DurationStatsSchema,
  offers: z.object({ offered: count(), accepted: count(), rejected: count(), missed: count(), withdrawn: count() }),
});
export type TimesTotals = z.infer<typeof TimesTotalsSchema>;

export const TimesDaySchema = z.object({
  date: z.string(), queueWaitP50: seconds(), queueWaitP90: seconds(), firstResponseP50: seconds(), handleTimeAvg: seconds(),
});
export type TimesDay = z.infer<typeof TimesDaySchema>;

export const TimesReportSchema = z.object({
  period: ReportPeriodSchema,
  totals: TimesTotalsSchema,
  byDay: z.array(TimesDaySchema),
  previous: z.object({ period: ReportPeriodSchema, totals: TimesTotalsSchema }).optional(),
}).meta({ id: 'TimesReport' });
export type TimesReport = z.infer<typeof TimesReportSchema>;

/* ---- quality ---- */

export const CsatSchema = z.object({
  /** Conversations with a counted rating. */
  ratings: count(),
  /** Conversations invited to rate (closed with the rating window open). */
  invited: count(),
  avg: z.number().nullable().describe('Average counted score on the 1–5 scale'),
  /** ratings / invited; null with none invited. */
  responseRate: z.number().min(0).max(1).nullable(),
  distribution: z.array(z.object({ score: z.number().int(), count: count() })).describe('Scores 1–5, all five present'),
  resolved: count(), unresolved: count(), resolvedNotAsked: count(),
  withComment: count(),
});
export type Csat = z.infer<typeof CsatSchema>;

export const TransferTotalsSchema = z.object({
  requested: count(), accepted: count(), rejected: count(), expired: count(), cancelled: count(), pending: count(),
});
export type TransferTotals = z.infer<typeof TransferTotalsSchema>;

export const QualityGroupSchema = z.object({
  key: z.string(), label: z.string(), ratings: count(), avg: z.number().nullable(), responseRate: z.number().nullable(),
});

export const RatingCommentSchema = z.object({
  conversationId: z.uuid(), score: z.number().int(), scale: z.number().int().nullable(),
  resolved: z.boolean().nullable(), comment: z.string(), at: z.string(), agentId: z.uuid().nullable(), agentName: z.string().nullable(),
});
export type RatingComment = z.infer<typeof RatingCommentSchema>;

export const QualityReportSchema = z.object({
  period: ReportPeriodSchema,
  csat: CsatSchema,
  transfers: TransferTotalsSchema,
  byAgent: z.array(QualityGroupSchema),
  byTeam: z.array(QualityGroupSchema),
  comments: z.array(RatingCommentSchema).describe('The newest 50 counted ratings with a comment'),
  previous: z.object({ period: ReportPeriodSchema, csat: CsatSchema, transfers: TransferTotalsSchema }).optional(),
}).meta({ id: 'QualityReport' });
export type QualityReport = z.infer<typeof QualityReportSchema>;

/* ---- agents ---- */

export const AgentStatusTimeSchema = z.object({
  online: count(), busy: count(), away: count(), offline: count(),
}).describe('Seconds in each status within the range (agent_status_log)');
export type AgentStatusTime = z.infer<typeof AgentStatusTimeSchema>;

export const AgentRowSchema = z.object({
  agentId: z.uuid(), name: z.string(),
  handled: count().describe('Conversations this agent was the last to serve'),
  firstResponse: DurationStatsSchema, handleTime: DurationStatsSchema,
  csatAvg: z.number().nullable(), ratings: count(),
  transfersOut: count(), transfersIn: count(),
  offers: z.object({ offered: count(), accepted: count(), rejected: count(), missed: count() }),
  statusTime: AgentStatusTimeSchema,
});
export type AgentRow = z.infer<typeof AgentRowSchema>;

export const LoadPointSchema = z.object({
  at: z.string().describe('Start of the hour (ISO instant)'),
  avgConcurrent: z.number().min(0).describe('Conversations held at once, averaged over the hour'),
});
export type LoadPoint = z.infer<typeof LoadPointSchema>;

export const AgentsReportSchema = z.object({
  period: ReportPeriodSchema,
  agents: z.array(AgentRowSchema),
  load: z.array(LoadPointSchema).describe('Concurrent load of the filtered agents over time, hourly'),
  previous: z.object({ period: ReportPeriodSchema, agents: z.array(AgentRowSchema) }).optional(),
}).meta({ id: 'AgentsReport' });
export type AgentsReport = z.infer<typeof AgentsReportSchema>;

/* ---- transfers, offers ---- */

export const TransfersReportSchema = z.object({
  period: ReportPeriodSchema,
  totals: TransferTotalsSchema,
  byDay: z.array(TransferTotalsSchema.extend({ date: z.string() })),
  byAgent: z.array(TransferTotalsSchema.extend({ agentId: z.uuid(), name: z.string() })).describe('By the agent who asked'),
  previous: z.object({ period: ReportPeriodSchema, totals: TransferTotalsSchema }).optional(),
}).meta({ id: 'TransfersReport' });
export type TransfersReport = z.infer<typeof TransfersReportSchema>;

export const OfferTotalsSchema = z.object({
  offered: count(), accepted: count(), rejected: count(), missed: count(), withdrawn: count(), pending: count(), acceptTime: DurationStatsSchema,
});
export type OfferTotals = z.infer<typeof OfferTotalsSchema>;

export const OffersReportSchema = z.object({
  period: ReportPeriodSchema,
  totals: OfferTotalsSchema,
  byAgent: z.array(OfferTotalsSchema.extend({ agentId: z.uuid(), name: z.string() })),
  previous: z.object({ period: ReportPeriodSchema, totals: OfferTotalsSchema }).optional(),
}).meta({ id: 'OffersReport' });
export type OffersReport = z.infer<typeof OffersReportSchema>;

/* ---- an agent's own service record ---- */

export const ServiceRecordSchema = z.object({
  period: ReportPeriodSchema,
  agent: AgentRowSchema,
  csatDistribution: z.array(z.object({ score: z.number().int(), count: count() })),
  byDay: z.array(z.object({ date: z.string(), handled: count(), firstResponseP50: seconds(), csatAvg: z.number().nullable() })),
  previous: z.object({ period: ReportPeriodSchema, agent: AgentRowSchema }).optional(),
}).meta({ id: 'ServiceRecord' });
export type ServiceRecord = z.infer<typeof ServiceRecordSchema>;

export interface ReportsByName {
  volume: VolumeReport; times: TimesReport; quality: QualityReport; agents: AgentsReport; transfers: TransfersReport; offers: OffersReport;
}
