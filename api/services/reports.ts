import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  agentDays, agentRows, concurrentLoad, csatGroups, csatTotals, factsPage, offerTotals, offersByAgent, ratingComments, timesByGroup,
  transferBreakdowns, transferTotals, volumeBreakdowns, volumeTotals,
} from '../../db/reports/queries.js';
import { previousPeriod, type ReportFilter } from '../../domain/reports/filter.js';
import type {
  AgentsReport, OffersReport, QualityReport, ReportName, ReportPeriod, ReportsByName, ServiceRecord, TimesReport, TimesTotals, TransfersReport, VolumeReport,
} from '../../domain/reports/schemas.js';
import type { Principal } from '../auth/tokens.js';
import { forbidden } from '../http/errors.js';

/** Reports over the reporting projection (docs/metrics.md); every number comes from db/reports/queries.ts. */

const periodOf = (f: ReportFilter): ReportPeriod => ({ from: f.from, to: f.to, tz: f.tz });
const previousOf = (f: ReportFilter): ReportFilter => ({ ...f, ...previousPeriod(f), compare: false });

/**
 * Who may ask for what: admins anything; an agent only their own numbers (agentId their own id; the desk's,
 * a team's or another agent's numbers are refused).
 */
export function assertMayRead(principal: Principal | null, f: ReportFilter): void {
  if (!principal || principal.kind !== 'staff') throw forbidden();
  if (principal.role === 'admin') return;
  if (f.agentId !== principal.userId) throw forbidden('Agents may only read their own numbers: set agentId to your own id, or use GET /api/reports/me');
}

export function reportsService(db: Db) {
  /** The times of a range (with its daily series when `byDay`): one scan of the facts, one of the offers. */
  async function timesOf(f: ReportFilter, byDay: boolean): Promise<{ totals: TimesTotals; byDay: TimesReport['byDay'] }> {
    const [times, offers] = await Promise.all([timesByGroup(db, f, byDay), offerTotals(db, f)]);
    const { offered, accepted, rejected, missed, withdrawn } = offers;
    return { totals: { ...times.totals, offerAccept: offers.acceptTime, offers: { offered, accepted, rejected, missed, withdrawn } }, byDay: times.byDay };
  }

  const build = {
    async volume(f: ReportFilter): Promise<VolumeReport> {
      const [totals, breakdowns, previous] = await Promise.all([
        volumeTotals(db, f), volumeBreakdowns(db, f), f.compare ? volumeTotals(db, previousOf(f)) : null,
      ]);
      return { period: periodOf(f), totals, ...breakdowns, ...(previous ? { previous: { period: periodOf(previousOf(f)), totals: previous } } : {}) };
    },
    async times(f: ReportFilter): Promise<TimesReport> {
      const [current, previous] = await Promise.all([timesOf(f, true), f.compare ? timesOf(previousOf(f), false) : null]);
      return {
        period: periodOf(f), totals: current.totals, byDay: current.byDay,
        ...(previous ? { previous: { period: periodOf(previousOf(f)), totals: previous.totals } } : {}),
      };
    },
    async quality(f: ReportFilter): Promise<QualityReport> {
      const p = previousOf(f);
      const [csat, transfers, groups, comments, prevCsat, prevTransfers] = await Promise.all([
        csatTotals(db, f), transferTotals(db, f), csatGroups(db, f), ratingComments(db, f),
        f.compare ? csatTotals(db, p) : null, f.compare ? transferTotals(db, p) : null,
      ]);
      return {
        period: periodOf(f), csat, transfers, ...groups, comments,
        ...(prevCsat && prevTransfers ? { previous: { period: periodOf(p), csat: prevCsat, transfers: prevTransfers } } : {}),
      };
    },
    async agents(f: ReportFilter): Promise<AgentsReport> {
      const [agents, load, previous] = await Promise.all([agentRows(db, f), concurrentLoad(db, f), f.compare ? agentRows(db, previousOf(f)) : null]);
      return { period: periodOf(f), agents, load, ...(previous ? { previous: { period: periodOf(previousOf(f)), agents: previous } } : {}) };
    },
    async transfers(f: ReportFilter): Promise<TransfersReport> {
      const [totals, breakdowns, previous] = await Promise.all([
        transferTotals(db, f), transferBreakdowns(db, f), f.compare ? transferTotals(db, previousOf(f)) : null,
      ]);
      return { period: periodOf(f), totals, ...breakdowns, ...(previous ? { previous: { period: periodOf(previousOf(f)), totals: previous } } : {}) };
    },
    async offers(f: ReportFilter): Promise<OffersReport> {
      const [totals, byAgent, previous] = await Promise.all([offerTotals(db, f), offersByAgent(db, f), f.compare ? offerTotals(db, previousOf(f)) : null]);
      return { period: periodOf(f), totals, byAgent, ...(previous ? { previous: { period: periodOf(previousOf(f)), totals: previous } } : {}) };
    },
  } satisfies { [N in ReportName]: (f: ReportFilter) => Promise<ReportsByName[N]> };

  return {
    report<N extends ReportName>(name: N, f: ReportFilter): Promise<ReportsByName[N]> {
      return (build[name] as (f: ReportFilter) => Promise<ReportsByName[N]>)(f);
    },

    /** An agent's own service record: their row of the agents report, their ratings and a daily series. */
    async serviceRecord(agentId: string, f: ReportFilter): Promise<ServiceRecord> {
      const mine = { ...f, agentId, teamId: undefined };
      const [[agent], csat, byDay, previous] = await Promise.all([
        agentRows(db, mine), csatTotals(db, mine), agentDays(db, mine), f.compare ? agentRows(db, previousOf(mine)) : null,
      ]);
      return {
        period: periodOf(f), agent, csatDistribution: csat.distribution, byDay,
        ...(previous?.[0] ? { previous: { period: periodOf(previousOf(f)), agent: previous[0] } } : {}),
      };
    },

    /** Streams a report's rows as CSV; `facts` pages through every conversation of the range (constant memory). */
    async streamCsv(name: ReportName | 'facts', f: ReportFilter, res: Response): Promise<void> {
      await db.execute(sql`select now() at time zone ${f.tz}`); // an unknown zone fails before anything is sent
      res.type('text/csv; charset=utf-8').attachment(`parley-${name}-${f.from}-${f.to}.csv`);
      const write = async (rows: unknown[][]) => {
        if (res.destroyed) throw new Error('client went away');
        const chunk = stringify(rows.map((r) => r.map(cell)), { record_delimiter: '\r\n' });
        if (!res.write(chunk)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      };
      res.write('\uFEFF');
      if (name === 'facts') {
        await write([FACT_COLUMNS as unknown as string[]]);
        let after: { at: Date; id: string } | null = null;
        for (;;) {
          const page = await factsPage(db, f, after, CSV_PAGE);
          await write(page.map((r) => FACT_COLUMNS.map((c) => (c === 'started_at' ? new Date(r.started_at).toISOString() : r[c]))));
          if (page.length < CSV_PAGE) break;
          const last = page[page.length - 1];
          after = { at: new Date(last.started_at), id: last.conversation_id };
        }
      } else {
        await write(csvRows(name, await build[name]({ ...f, compare: false })));
      }
      res.end();
    },
  };
}
export type ReportsService = ReturnType<typeof reportsService>;

const CSV_PAGE = 2000;
const FACT_COLUMNS = ['conversation_id', 'started_at', 'channel', 'flow_id', 'team_id', 'agent_id', 'status', 'closed_by', 'queue_wait_sec',
  'first_response_sec', 'handle_sec', 'resolution_sec', 'requeues', 'transfers', 'rating', 'rating_scale', 'rating_resolved'] as const;

// A text cell starting with one of these is a formula to spreadsheet programs: prefixed with an apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;
const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? String(v)
  : typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : v);

/** A report as a table: a header row, then its rows. */
function csvRows(name: ReportName, r: ReportsByName[ReportName]): unknown[][] {
  switch (name) {
    case 'volume': {
      const v = r as VolumeReport;
      const dims: Array<[string, VolumeReport['byDay']]> = [['day', v.byDay], ['hour', v.byHourOfDay], ['dayOfWeek', v.byDayOfWeek],
        ['channel', v.byChannel], ['team', v.byTeam], ['flow', v.byFlow], ['tag', v.byTag]];
      return [['dimension', 'key', 'label', 'started', 'served', 'abandonedInQueue', 'leftMessage'],
        ...dims.flatMap(([dim, rows]) => rows.map((b) => [dim, b.key, b.label, b.started, b.served, b.abandonedInQueue, b.leftMessage]))];
    }
    case 'times':
      return [['date', 'queueWaitP50', 'queueWaitP90', 'firstResponseP50', 'handleTimeAvg'],
        ...(r as TimesReport).byDay.map((d) => [d.date, d.queueWaitP50, d.queueWaitP90, d.firstResponseP50, d.handleTimeAvg])];
    case 'quality':
      return [['dimension', 'key', 'label', 'ratings', 'csatAvg', 'responseRate'],
        ...(r as QualityReport).byAgent.map((g) => ['agent', g.key, g.label, g.ratings, g.avg, g.responseRate]),
        ...(r as QualityReport).byTeam.map((g) => ['team', g.key, g.label, g.ratings, g.avg, g.responseRate])];
    case 'agents':
      return [['agentId', 'name', 'handled', 'firstResponseP50', 'firstResponseP90', 'handleTimeAvg', 'handleTimeP90', 'csatAvg', 'ratings',
        'transfersOut', 'transfersIn', 'offered', 'accepted', 'rejected', 'missed', 'onlineSec', 'busySec', 'awaySec', 'offlineSec'],
        ...(r as AgentsReport).agents.map((a) => [a.agentId, a.name, a.handled, a.firstResponse.p50, a.firstResponse.p90, a.handleTime.avg, a.handleTime.p90,
          a.csatAvg, a.ratings, a.transfersOut, a.transfersIn, a.offers.offered, a.offers.accepted, a.offers.rejected, a.offers.missed,
          a.statusTime.online, a.statusTime.busy, a.statusTime.away, a.statusTime.offline])];
    case 'transfers':
      return [['date', 'requested', 'accepted', 'rejected', 'expired', 'cancelled', 'pending'],
        ...(r as TransfersReport).byDay.map((d) => [d.date, d.requested, d.accepted, d.rejected, d.expired, d.cancelled, d.pending])];
    case 'offers':
      return [['agentId', 'name', 'offered', 'accepted', 'rejected', 'missed', 'withdrawn', 'pending', 'acceptTimeAvg', 'acceptTimeP90'],
        ...(r as OffersReport).byAgent.map((o) => [o.agentId, o.name, o.offered, o.accepted, o.rejected, o.missed, o.withdrawn, o.pending,
          o.acceptTime.avg, o.acceptTime.p90])];
  }
}
