import { Router } from 'express';
import type { ApiContext } from '../context.js';
import { route } from '../http/route.js';
import { badRequest, forbidden } from '../http/errors.js';
import { ReportFilterSchema, toReportFilter } from '../../domain/reports/filter.js';
import {
  AgentsReportSchema, OffersReportSchema, QualityReportSchema, REPORT_NAMES, ServiceRecordSchema, TimesReportSchema, TransfersReportSchema,
  VolumeReportSchema, type ReportName,
} from '../../domain/reports/schemas.js';
import { assertMayRead, reportsService } from '../services/reports.js';

const REPORTS: Record<ReportName, { operationId: string; summary: string; schema: typeof VolumeReportSchema | typeof TimesReportSchema
  | typeof QualityReportSchema | typeof AgentsReportSchema | typeof TransfersReportSchema | typeof OffersReportSchema }> = {
  volume: { operationId: 'getVolumeReport', summary: 'Conversations started, served, abandoned in queue, left as messages, closed by whom; by day, hour, day of week, channel, team, flow, tag', schema: VolumeReportSchema },
  times: { operationId: 'getTimesReport', summary: 'Queue wait, first response, handle and resolution times (avg, p50, p90), time to accept an offer; offers missed and rejected', schema: TimesReportSchema },
  quality: { operationId: 'getQualityReport', summary: 'CSAT (average, distribution, response rate, resolved) with comments, per agent and team; transfers by outcome', schema: QualityReportSchema },
  agents: { operationId: 'getAgentsReport', summary: 'Per agent: handled, first response, handle time, CSAT, transfers, offers, time online/busy/away/offline; concurrent load over time', schema: AgentsReportSchema },
  transfers: { operationId: 'getTransfersReport', summary: 'Transfers requested and their outcomes, by day and by the agent who asked', schema: TransfersReportSchema },
  offers: { operationId: 'getOffersReport', summary: 'Offers made to agents and how they ended (accepted, rejected, missed, withdrawn), time to accept', schema: OffersReportSchema },
};

/** A zone the JavaScript runtime knows but PostgreSQL does not: the caller's mistake, not ours. */
function unknownZone(err: unknown): never {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const pgError = e?.cause?.code ? e.cause : e;
  if (pgError?.code === '22023' && /time zone/.test(pgError.message ?? '')) throw badRequest('tz is not a time zone the database knows; use an IANA name such as Europe/Berlin', 'tz');
  throw err;
}

const ACCESS = 'Admins read every number; an agent only their own (agentId set to their own id), otherwise 403.';

export function reportRoutes(ctx: ApiContext): Router {
  const router = Router();
  const reports = reportsService(ctx.database.db);

  // Literal paths: /api/reports/me and the .csv ones never meet a pattern.
  route(router, {
    method: 'get', path: '/api/reports/me', operationId: 'getMyServiceRecord', tag: 'reports', access: 'staff',
    summary: 'My service record: my handled conversations, first response, handle time, CSAT, transfers, offers and status time',
    description: 'The caller\'s own numbers over the range (agentId may be left out; another agent\'s id is refused with 403). Definitions: docs/metrics.md.',
    query: ReportFilterSchema, response: ServiceRecordSchema,
  }, async ({ principal, query }) => {
    const f = toReportFilter(query);
    if (principal?.kind !== 'staff') throw forbidden();
    if (f.agentId !== undefined && f.agentId !== principal.userId) throw forbidden('This is your own service record: agentId must be your own id');
    return reports.serviceRecord(principal.userId, f).catch(unknownZone);
  });

  for (const name of REPORT_NAMES) {
    const r = REPORTS[name];
    route(router, {
      method: 'get', path: `/api/reports/${name}`, operationId: r.operationId, tag: 'reports', access: 'staff', summary: r.summary,
      description: `Over the range's local days in tz; with compare=true also the previous period of equal length. Definitions: docs/metrics.md. ${ACCESS}`,
      query: ReportFilterSchema, response: r.schema,
    }, async ({ principal, query }) => {
      const f = toReportFilter(query);
      assertMayRead(principal, f);
      return reports.report(name, f).catch(unknownZone);
    });
    route(router, {
      method: 'get', path: `/api/reports/${name}.csv`, operationId: `${r.operationId}Csv`, tag: 'reports', access: 'staff',
      summary: `The ${name} report's rows as CSV`, description: `The same filter as GET /api/reports/${name} (compare is ignored). ${ACCESS}`,
      query: ReportFilterSchema, csvResponse: 'The CSV file (UTF-8 with a byte-order mark), as an attachment',
    }, async ({ principal, query, res }) => {
      const f = toReportFilter(query);
      assertMayRead(principal, f);
      await reports.streamCsv(name, f, res).catch(unknownZone);
    });
  }

  route(router, {
    method: 'get', path: '/api/reports/facts.csv', operationId: 'exportReportFactsCsv', tag: 'reports', access: 'staff',
    summary: 'Every conversation of the range with its per-conversation numbers, as CSV (streamed)',
    description: `One row per conversation that started in the range: channel, flow, team, last agent, status, closed by, queue wait, first response, handle and resolution seconds, requeues, transfers, counted rating. Streamed in pages, so any range uses constant memory. ${ACCESS}`,
    query: ReportFilterSchema, csvResponse: 'The CSV file (UTF-8 with a byte-order mark), as an attachment',
  }, async ({ principal, query, res }) => {
    const f = toReportFilter(query);
    assertMayRead(principal, f);
    await reports.streamCsv('facts', f, res).catch(unknownZone);
  });

  return router;
}
