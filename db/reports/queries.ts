import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { addDays, type ReportFilter } from '../../domain/reports/filter.js';
import type {
  AgentRow, AgentStatusTime, Csat, DurationStats, LoadPoint, OfferTotals, RatingComment, TimesDay, TimesTotals, TransferTotals,
  VolumeBucket, VolumeTotals,
} from '../../domain/reports/schemas.js';

/**
 * The report queries over the reporting projection (db/reports/facts.ts). Definitions: docs/metrics.md.
 * A conversation belongs to the local day (of `tz`) it started; transfers and offers to the day they were
 * asked/made; status time is clipped to the range. Each report is one or two statements over an index range.
 */

type Range = Pick<ReportFilter, 'from' | 'to' | 'tz'>;

/** The range's instants: the start of `from` and of the day after `to`, in tz. */
const bounds = (f: Range) => ({
  start: sql`((${f.from}::date)::timestamp at time zone ${f.tz})`,
  end: sql`((${addDays(f.to, 1)}::date)::timestamp at time zone ${f.tz})`,
});

/** The filter over `report_facts f` (the range of start times and the dimensions). */
function factsWhere(f: ReportFilter, opts: { range?: boolean; agent?: boolean } = {}): SQL {
  const { start, end } = bounds(f);
  const parts: SQL[] = [];
  if (opts.range !== false) parts.push(sql`f.started_at >= ${start} and f.started_at < ${end}`);
  if (f.teamId !== undefined) parts.push(sql`f.team_id = ${f.teamId}`);
  if (f.agentId !== undefined && opts.agent !== false) parts.push(sql`f.agent_id = ${f.agentId}::uuid`);
  if (f.channel !== undefined) parts.push(sql`f.channel = ${f.channel}`);
  if (f.flowId !== undefined) parts.push(sql`f.flow_id = ${f.flowId}`);
  if (f.tag !== undefined) parts.push(sql`exists (select 1 from conversation_tags ct where ct.conversation_id = f.conversation_id and ct.tag_id = ${f.tag}::uuid)`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** Whether the filter narrows conversations beyond the agent (team, channel, flow, tag). */
const narrowsConversations = (f: ReportFilter) => f.teamId !== undefined || f.channel !== undefined || f.flowId !== undefined || f.tag !== undefined;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);

/* ---- volume ---- */

const VOLUME_COUNTS = sql`
  count(*)::int as started,
  count(*) filter (where f.assigned_at is not null)::int as served,
  count(*) filter (where f.queued_at is not null and f.assigned_at is null and f.closed_at is not null
                    and f.closed_by is distinct from 'left-message')::int as abandoned,
  count(*) filter (where f.closed_by = 'left-message')::int as left_message`;

type CountsRow = { started: number; served: number; abandoned: number; left_message: number };
const bucket = (key: string, label: string, r: CountsRow): VolumeBucket => ({
  key, label, started: num(r.started), served: num(r.served), abandonedInQueue: num(r.abandoned), leftMessage: num(r.left_message),
});

export async function volumeTotals(db: Db, f: ReportFilter): Promise<VolumeTotals> {
  const { rows } = await db.execute<CountsRow & Record<string, number>>(sql`
    select ${VOLUME_COUNTS},
      count(*) filter (where f.queued_at is null and f.assigned_at is null and f.closed_at is not null
                        and f.closed_by is distinct from 'left-message')::int as bot_only,
      count(*) filter (where f.closed_at is null)::int as open,
      count(*) filter (where f.closed_by = 'visitor')::int as by_visitor, count(*) filter (where f.closed_by = 'agent')::int as by_agent,
      count(*) filter (where f.closed_by = 'admin')::int as by_admin, count(*) filter (where f.closed_by = 'timer')::int as by_timer,
      count(*) filter (where f.closed_by = 'flow')::int as by_flow, count(*) filter (where f.closed_by = 'system')::int as by_system
    from report_facts f where ${factsWhere(f)}`);
  const r = rows[0];
  return {
    started: num(r.started), served: num(r.served), abandonedInQueue: num(r.abandoned), leftMessage: num(r.left_message),
    botOnly: num(r.bot_only), open: num(r.open),
    closedBy: {
      visitor: num(r.by_visitor), agent: num(r.by_agent), admin: num(r.by_admin), timer: num(r.by_timer), flow: num(r.by_flow),
      system: num(r.by_system), leftMessage: num(r.left_message),
    },
  };
}

export interface VolumeBreakdowns {
  byDay: VolumeBucket[]; byHourOfDay: VolumeBucket[]; byDayOfWeek: VolumeBucket[];
  byChannel: VolumeBucket[]; byTeam: VolumeBucket[]; byFlow: VolumeBucket[]; byTag: VolumeBucket[];
}

/** Every breakdown in one pass (grouping sets), and the tags in a second statement. */
export async function volumeBreakdowns(db: Db, f: ReportFilter): Promise<VolumeBreakdowns> {
  const { rows } = await db.execute<CountsRow & { dim: string; key: string | null }>(sql`
    select case when grouping(x.d) = 0 then 'day' when grouping(x.h) = 0 then 'hour' when grouping(x.w) = 0 then 'dow'
                when grouping(x.channel) = 0 then 'channel' when grouping(x.team) = 0 then 'team' else 'flow' end as dim,
      coalesce(x.d::text, x.h::text, x.w::text, x.channel, x.team, x.flow_id) as key, ${VOLUME_COUNTS}
    from (select f.*, (f.started_at at time zone ${f.tz})::date as d, extract(hour from f.started_at at time zone ${f.tz})::int as h,
                 extract(isodow from f.started_at at time zone ${f.tz})::int as w, coalesce(f.team_id, '') as team
            from report_facts f where ${factsWhere(f)}) f
    cross join lateral (select f.d, f.h, f.w, f.channel, f.team, f.flow_id) x
    group by grouping sets ((x.d), (x.h), (x.w), (x.channel), (x.team), (x.flow_id))`);
  const tagRows = await db.execute<CountsRow & { key: string; label: string }>(sql`
    select t.id::text as key, t.name as label, ${VOLUME_COUNTS}
    from report_facts f join conversation_tags ct on ct.conversation_id = f.conversation_id join tags t on t.id = ct.tag_id
    where ${factsWhere(f)} group by t.id, t.name order by count(*) desc`);
  const names = await db.execute<{ kind: string; id: string; name: string }>(sql`
    select 'team' as kind, id, name from teams union all select 'flow', id, name from flows`);
  const nameOf = new Map(names.rows.map((n) => [`${n.kind}:${n.id}`, n.name]));
  const of = (dim: string) => rows.filter((r) => r.dim === dim);
  const byKey = (dim: string) => new Map(of(dim).map((r) => [String(r.key), r]));
  const zero: CountsRow = { started: 0, served: 0, abandoned: 0, left_message: 0 };
  const days: VolumeBucket[] = [];
  const dayRows = byKey('day');
  for (let d = f.from; d <= f.to; d = addDays(d, 1)) days.push(bucket(d, d, dayRows.get(d) ?? zero));
  const hours = byKey('hour');
  const dows = byKey('dow');
  const sorted = (dim: string, label: (k: string) => string) => of(dim).map((r) => bucket(String(r.key), label(String(r.key)), r))
    .sort((a, b) => b.started - a.started || a.key.localeCompare(b.key));
  return {
    byDay: days,
    byHourOfDay: Array.from({ length: 24 }, (_, h) => bucket(String(h), String(h), hours.get(String(h)) ?? zero)),
    byDayOfWeek: Array.from({ length: 7 }, (_, i) => bucket(String(i + 1), String(i + 1), dows.get(String(i + 1)) ?? zero)),
    byChannel: sorted('channel', (k) => k),
    byTeam: sorted('team', (k) => (k === '' ? '' : nameOf.get(`team:${k}`) ?? k)),
    byFlow: sorted('flow', (k) => nameOf.get(`flow:${k}`) ?? k),
    byTag: tagRows.rows.map((r) => bucket(r.key, r.label, r)),
  };
}

/* ---- times ---- */

const stats = (expr: SQL, name: string) => sql`
  count(${expr})::int as ${sql.raw(name)}_n, avg(${expr})::float8 as ${sql.raw(name)}_avg,
  percentile_cont(array[0.5, 0.9]) within group (order by ${expr}) as ${sql.raw(name)}_p`;
const statsOf = (r: Record<string, unknown>, name: string): DurationStats => {
  const p = (r[`${name}_p`] as Array<number | string> | null) ?? [null, null];
  const n = num(r[`${name}_n`]);
  return { count: n, avg: n ? numOrNull(r[`${name}_avg`]) : null, p50: n ? numOrNull(p[0]) : null, p90: n ? numOrNull(p[1]) : null };
};
const secs = (a: string, b: string) => sql.raw(`extract(epoch from f.${b} - f.${a})`);
const WAIT = sql`case when f.assigned_at >= f.queued_at then ${secs('queued_at', 'assigned_at')} end`;
const FIRST_RESPONSE = sql`${secs('assigned_at', 'first_response_at')}`;
const HANDLE = sql`case when f.assigned_at is not null then ${secs('assigned_at', 'closed_at')} end`;
const RESOLUTION = sql`${secs('started_at', 'closed_at')}`;

export async function timesByGroup(db: Db, f: ReportFilter, byDay: boolean): Promise<{ totals: Omit<TimesTotals, 'offers' | 'offerAccept'>; byDay: TimesDay[] }> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    select ${byDay ? sql`(f.started_at at time zone ${f.tz})::date::text` : sql`null::text`} as d,
      ${stats(WAIT, 'wait')}, ${stats(FIRST_RESPONSE, 'fr')}, ${stats(HANDLE, 'handle')}, ${stats(RESOLUTION, 'res')}
    from report_facts f where ${factsWhere(f)}
    group by ${byDay ? sql`grouping sets ((), (1))` : sql`()`}`);
  const total = rows.find((r) => r.d === null) ?? {};
  const perDay = new Map(rows.filter((r) => r.d !== null).map((r) => [String(r.d), r]));
  const days: TimesDay[] = [];
  if (byDay) {
    for (let d = f.from; d <= f.to; d = addDays(d, 1)) {
      const r = perDay.get(d) ?? {};
      days.push({ date: d, queueWaitP50: statsOf(r, 'wait').p50, queueWaitP90: statsOf(r, 'wait').p90, firstResponseP50: statsOf(r, 'fr').p50, handleTimeAvg: statsOf(r, 'handle').avg });
    }
  }
  return {
    totals: { queueWait: statsOf(total, 'wait'), firstResponse: statsOf(total, 'fr'), handleTime: statsOf(total, 'handle'), resolution: statsOf(total, 'res') },
    byDay: days,
  };
}

/* ---- offers ---- */

function offersWhere(f: ReportFilter): SQL {
  const { start, end } = bounds(f);
  return sql`o.offered_at >= ${start} and o.offered_at < ${end}
    ${f.agentId !== undefined ? sql`and o.agent_id = ${f.agentId}::uuid` : sql``}
    ${narrowsConversations(f) ? sql`and exists (select 1 from report_facts f where f.conversation_id = o.conversation_id and ${factsWhere(f, { range: false, agent: false })})` : sql``}`;
}

const OFFER_COUNTS = sql`
  count(*)::int as offered, count(*) filter (where o.outcome = 'accepted')::int as accepted,
  count(*) filter (where o.outcome = 'rejected')::int as rejected, count(*) filter (where o.outcome = 'missed')::int as missed,
  count(*) filter (where o.outcome = 'withdrawn')::int as withdrawn, count(*) filter (where o.outcome = 'pending')::int as pending,
  ${stats(sql`case when o.outcome = 'accepted' then extract(epoch from o.resolved_at - o.offered_at) end`, 'acc')}`;

const offerTotalsOf = (r: Record<string, unknown>): OfferTotals => ({
  offered: num(r.offered), accepted: num(r.accepted), rejected: num(r.rejected), missed: num(r.missed), withdrawn: num(r.withdrawn),
  pending: num(r.pending), acceptTime: statsOf(r, 'acc'),
});

export async function offerTotals(db: Db, f: ReportFilter): Promise<OfferTotals> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`select ${OFFER_COUNTS} from report_offers o where ${offersWhere(f)}`);
  return offerTotalsOf(rows[0] ?? {});
}

export async function offersByAgent(db: Db, f: ReportFilter): Promise<Array<OfferTotals & { agentId: string; name: string }>> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    select o.agent_id, coalesce(u.nickname, '') as name, ${OFFER_COUNTS}
    from report_offers o left join users u on u.id = o.agent_id where ${offersWhere(f)}
    group by o.agent_id, u.nickname order by count(*) desc`);
  return rows.map((r) => ({ agentId: String(r.agent_id), name: String(r.name), ...offerTotalsOf(r) }));
}

/* ---- quality ---- */

const CSAT_COUNTS = sql`
  count(*) filter (where f.rating_normalized is not null)::int as ratings,
  count(*) filter (where f.rating_invited)::int as invited,
  avg(f.rating_normalized)::float8 as avg,
  count(*) filter (where f.rating_normalized = 1)::int as s1, count(*) filter (where f.rating_normalized = 2)::int as s2,
  count(*) filter (where f.rating_normalized = 3)::int as s3, count(*) filter (where f.rating_normalized = 4)::int as s4,
  count(*) filter (where f.rating_normalized = 5)::int as s5,
  count(*) filter (where f.rating_resolved)::int as resolved, count(*) filter (where f.rating_resolved = false)::int as unresolved,
  count(*) filter (where f.rating_normalized is not null and f.rating_resolved is null)::int as not_asked,
  count(*) filter (where f.rating_has_comment)::int as with_comment`;

const csatOf = (r: Record<string, unknown>): Csat => {
  const ratings = num(r.ratings);
  const invited = num(r.invited);
  return {
    ratings, invited, avg: ratings ? numOrNull(r.avg) : null, responseRate: invited ? Math.round((ratings / invited) * 10_000) / 10_000 : null,
    distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: num(r[`s${score}`]) })),
    resolved: num(r.resolved), unresolved: num(r.unresolved), resolvedNotAsked: num(r.not_asked), withComment: num(r.with_comment),
  };
};

export async function csatTotals(db: Db, f: ReportFilter): Promise<Csat> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`select ${CSAT_COUNTS} from report_facts f where ${factsWhere(f)}`);
  return csatOf(rows[0] ?? {});
}

export async function csatGroups(db: Db, f: ReportFilter) {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    select case when grouping(f.agent_id) = 0 then 'agent' else 'team' end as dim,
      coalesce(f.agent_id::text, f.team_id, '') as key, ${CSAT_COUNTS}
    from report_facts f where ${factsWhere(f)} and (f.agent_id is not null or f.team_id is not null)
    group by grouping sets ((f.agent_id), (f.team_id))`);
  const names = await db.execute<{ id: string; name: string }>(sql`
    select id::text as id, nickname as name from users union all select id, name from teams`);
  const nameOf = new Map(names.rows.map((n) => [n.id, n.name]));
  const group = (dim: string) => rows.filter((r) => r.dim === dim && r.key !== '').map((r) => {
    const c = csatOf(r);
    return { key: String(r.key), label: nameOf.get(String(r.key)) ?? String(r.key), ratings: c.ratings, avg: c.avg, responseRate: c.responseRate };
  }).sort((a, b) => b.ratings - a.ratings || a.label.localeCompare(b.label));
  return { byAgent: group('agent'), byTeam: group('team') };
}

export async function ratingComments(db: Db, f: ReportFilter, limit = 50): Promise<RatingComment[]> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    select f.conversation_id, r.score, r.scale, r.resolved, r.comment, r.created_at, f.agent_id, u.nickname
    from report_facts f
    join lateral (select * from ratings r where r.conversation_id = f.conversation_id and r.counted order by r.id desc limit 1) r on true
    left join users u on u.id = f.agent_id
    where ${factsWhere(f)} and f.rating_has_comment
    order by r.created_at desc, r.id desc limit ${limit}`);
  return rows.map((r) => ({
    conversationId: String(r.conversation_id), score: num(r.score), scale: r.scale === null ? null : num(r.scale),
    resolved: (r.resolved ?? null) as boolean | null, comment: String(r.comment), at: new Date(r.created_at as string).toISOString(),
    agentId: (r.agent_id ?? null) as string | null, agentName: (r.nickname ?? null) as string | null,
  }));
}

/* ---- transfers ---- */

function transfersWhere(f: ReportFilter): SQL {
  const { start, end } = bounds(f);
  return sql`t.created_at >= ${start} and t.created_at < ${end}
    ${f.agentId !== undefined ? sql`and (t.from_agent_id = ${f.agentId}::uuid or t.to_agent_id = ${f.agentId}::uuid)` : sql``}
    ${narrowsConversations(f) ? sql`and exists (select 1 from report_facts f where f.conversation_id = t.conversation_id and ${factsWhere(f, { range: false, agent: false })})` : sql``}`;
}
const TRANSFER_COUNTS = sql`
  count(*)::int as requested, count(*) filter (where t.outcome = 'accepted')::int as accepted,
  count(*) filter (where t.outcome = 'rejected')::int as rejected, count(*) filter (where t.outcome = 'expired')::int as expired,
  count(*) filter (where t.outcome = 'cancelled')::int as cancelled, count(*) filter (where t.outcome = 'pending')::int as pending`;
const transferTotalsOf = (r: Record<string, unknown>): TransferTotals => ({
  requested: num(r.requested), accepted: num(r.accepted), rejected: num(r.rejected), expired: num(r.expired), cancelled: num(r.cancelled),
  pending: num(r.pending),
});

export async function transferTotals(db: Db, f: ReportFilter): Promise<TransferTotals> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`select ${TRANSFER_COUNTS} from transfers t where ${transfersWhere(f)}`);
  return transferTotalsOf(rows[0] ?? {});
}

export async function transferBreakdowns(db: Db, f: ReportFilter) {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    select (t.created_at at time zone ${f.tz})::date::text as d, t.from_agent_id::text as agent, ${TRANSFER_COUNTS}
    from transfers t where ${transfersWhere(f)} group by grouping sets ((1), (2))`);
  const names = await db.execute<{ id: string; name: string }>(sql`select id::text as id, nickname as name from users`);
  const nameOf = new Map(names.rows.map((n) => [n.id, n.name]));
  const perDay = new Map(rows.filter((r) => r.d !== null).map((r) => [String(r.d), r]));
  const byDay: Array<TransferTotals & { date: string }> = [];
  for (let d = f.from; d <= f.to; d = addDays(d, 1)) byDay.push({ date: d, ...transferTotalsOf(perDay.get(d) ?? {}) });
  const byAgent = rows.filter((r) => r.agent !== null).map((r) => ({ agentId: String(r.agent), name: nameOf.get(String(r.agent)) ?? '', ...transferTotalsOf(r) }))
    .sort((a, b) => b.requested - a.requested);
  return { byDay, byAgent };
}

/* ---- agents ---- */

/** The agents a report lists: the filtered one, or the team's members, or every account with the agent role or with numbers in range. */
async function agentsOf(db: Db, f: ReportFilter): Promise<Array<{ id: string; name: string }>> {
  const { start, end } = bounds(f);
  const { rows } = await db.execute<{ id: string; name: string }>(sql`
    select u.id::text as id, u.nickname as name from users u
    where ${f.agentId !== undefined ? sql`u.id = ${f.agentId}::uuid`
      : f.teamId !== undefined ? sql`exists (select 1 from team_members tm where tm.user_id = u.id and tm.team_id = ${f.teamId})`
      : sql`(u.role = 'agent' and not u.disabled) or exists (select 1 from report_facts f where f.agent_id = u.id and f.started_at >= ${start} and f.started_at < ${end})`}
    order by u.nickname, u.id`);
  return rows;
}

/** Seconds each agent spent in each status within the range (clipped to now), from agent_status_log. */
export async function statusTimes(db: Db, f: Range, agentIds: string[]): Promise<Map<string, AgentStatusTime>> {
  const out = new Map<string, AgentStatusTime>();
  if (agentIds.length === 0) return out;
  const { start, end } = bounds(f);
  const { rows } = await db.execute<{ user_id: string; status: string; sec: number; elapsed: number }>(sql`
    with r as (select ${start} as s, least(${end}, now()) as e),
    log as (
      select l.user_id, l.status, l.at, lead(l.at) over (partition by l.user_id order by l.at, l.id) as next_at
      from agent_status_log l, r where l.user_id = any(${sql.param(agentIds)}::uuid[]) and l.at < r.e
    )
    select log.user_id::text as user_id, log.status,
      sum(extract(epoch from least(coalesce(log.next_at, r.e), r.e) - greatest(log.at, r.s)))::float8 as sec,
      max(greatest(extract(epoch from r.e - r.s), 0))::float8 as elapsed
    from log, r where coalesce(log.next_at, r.e) > r.s and log.at < r.e
    group by log.user_id, log.status`);
  const elapsedAll = await db.execute<{ elapsed: number }>(sql`select greatest(extract(epoch from least(${end}, now()) - ${start}), 0)::float8 as elapsed`);
  const elapsed = Math.round(num(elapsedAll.rows[0]?.elapsed));
  for (const id of agentIds) out.set(id, { online: 0, busy: 0, away: 0, offline: elapsed });
  for (const r of rows) {
    const t = out.get(r.user_id)!;
    const s = Math.max(0, Math.round(num(r.sec)));
    if (r.status === 'online' || r.status === 'busy' || r.status === 'away') t[r.status] += s;
  }
  // Offline: the rest of the range (before an agent's first status and every offline stretch).
  for (const t of out.values()) t.offline = Math.max(0, elapsed - t.online - t.busy - t.away);
  return out;
}

export async function agentRows(db: Db, f: ReportFilter): Promise<AgentRow[]> {
  const agents = await agentsOf(db, f);
  if (agents.length === 0) return [];
  const ids = agents.map((a) => a.id);
  const facts = await db.execute<Record<string, unknown>>(sql`
    select f.agent_id::text as agent, count(*)::int as handled, ${stats(FIRST_RESPONSE, 'fr')}, ${stats(HANDLE, 'handle')},
      avg(f.rating_normalized)::float8 as csat, count(f.rating_normalized)::int as ratings
    from report_facts f where ${factsWhere(f, { agent: false })} and f.agent_id = any(${sql.param(ids)}::uuid[])
    group by f.agent_id`);
  const { start, end } = bounds(f);
  const narrowed = narrowsConversations(f)
    ? sql`and exists (select 1 from report_facts f where f.conversation_id = t.conversation_id and ${factsWhere(f, { range: false, agent: false })})` : sql``;
  const transfers = await db.execute<{ agent: string; out_n: number; in_n: number }>(sql`
    select a.id::text as agent,
      (select count(*) from transfers t where t.from_agent_id = a.id and t.created_at >= ${start} and t.created_at < ${end} ${narrowed})::int as out_n,
      (select count(*) from transfers t where t.to_agent_id = a.id and t.created_at >= ${start} and t.created_at < ${end} and t.outcome = 'accepted' ${narrowed})::int as in_n
    from unnest(${sql.param(ids)}::uuid[]) as a(id)`);
  const offers = await offersByAgent(db, f);
  const status = await statusTimes(db, f, ids);
  const factOf = new Map(facts.rows.map((r) => [String(r.agent), r]));
  const transferOf = new Map(transfers.rows.map((r) => [r.agent, r]));
  const offerOf = new Map(offers.map((o) => [o.agentId, o]));
  return agents.map((a) => {
    const r = factOf.get(a.id) ?? {};
    const o = offerOf.get(a.id);
    const ratings = num(r.ratings);
    return {
      agentId: a.id, name: a.name, handled: num(r.handled), firstResponse: statsOf(r, 'fr'), handleTime: statsOf(r, 'handle'),
      csatAvg: ratings ? numOrNull(r.csat) : null, ratings,
      transfersOut: num(transferOf.get(a.id)?.out_n), transfersIn: num(transferOf.get(a.id)?.in_n),
      offers: { offered: o?.offered ?? 0, accepted: o?.accepted ?? 0, rejected: o?.rejected ?? 0, missed: o?.missed ?? 0 },
      statusTime: status.get(a.id)!,
    };
  });
}

/**
 * Conversations held at once by the filtered agents, averaged per hour: the held time (assignment to close,
 * or now) falling in each hour / 3600. Conversations that started more than a day before the range are left out.
 */
export async function concurrentLoad(db: Db, f: ReportFilter): Promise<LoadPoint[]> {
  const { start, end } = bounds(f);
  const { rows } = await db.execute<{ h: string; load: number }>(sql`
    with r as (select ${start} as s, least(${end}, date_trunc('hour', now()) + interval '1 hour') as e),
    held as (
      select greatest(f.assigned_at, r.s) as a, least(coalesce(f.closed_at, now()), r.e) as b
      from report_facts f, r
      where ${factsWhere(f, { range: false })} and f.started_at >= r.s - interval '1 day' and f.started_at < r.e
        and f.assigned_at is not null and f.assigned_at < r.e and coalesce(f.closed_at, now()) > r.s
    ),
    hours as (select generate_series(date_trunc('hour', r.s), r.e - interval '1 hour', interval '1 hour') as h from r),
    -- each held stretch split into the hours it touches (one or two for most), so the work grows with the conversations
    pieces as (
      select p.h, sum(extract(epoch from least(held.b, p.h + interval '1 hour') - greatest(held.a, p.h))) as sec
      from held cross join lateral generate_series(date_trunc('hour', held.a), held.b, interval '1 hour') as p(h)
      where held.b > held.a group by p.h
    )
    select hours.h as h, coalesce(pieces.sec, 0)::float8 / 3600 as load
    from hours left join pieces on pieces.h = hours.h order by hours.h`);
  return rows.map((r) => ({ at: new Date(r.h).toISOString(), avgConcurrent: Math.round(num(r.load) * 100) / 100 }));
}

/** The service record's daily series of one agent. */
export async function agentDays(db: Db, f: ReportFilter) {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    select (f.started_at at time zone ${f.tz})::date::text as d, count(*)::int as handled, ${stats(FIRST_RESPONSE, 'fr')},
      avg(f.rating_normalized)::float8 as csat
    from report_facts f where ${factsWhere(f)} group by 1`);
  const per = new Map(rows.map((r) => [String(r.d), r]));
  const out: Array<{ date: string; handled: number; firstResponseP50: number | null; csatAvg: number | null }> = [];
  for (let d = f.from; d <= f.to; d = addDays(d, 1)) {
    const r = per.get(d) ?? {};
    out.push({ date: d, handled: num(r.handled), firstResponseP50: statsOf(r, 'fr').p50, csatAvg: r.csat === undefined || r.csat === null ? null : numOrNull(r.csat) });
  }
  return out;
}

/* ---- per-conversation facts (CSV) ---- */

export type FactRow = {
  conversation_id: string; started_at: Date; channel: string; flow_id: string; team_id: string | null; agent_id: string | null;
  status: string; closed_by: string | null; queue_wait_sec: number | null; first_response_sec: number | null; handle_sec: number | null;
  resolution_sec: number | null; requeues: number; transfers: number; rating: number | null; rating_scale: number | null;
  rating_resolved: boolean | null;
};

/** One keyset page of facts in start order (constant memory for any range). */
export async function factsPage(db: Db, f: ReportFilter, after: { at: Date; id: string } | null, limit: number): Promise<FactRow[]> {
  const { rows } = await db.execute<FactRow>(sql`
    select f.conversation_id, f.started_at, f.channel, f.flow_id, f.team_id, f.agent_id, f.status, f.closed_by,
      round(${WAIT}::numeric, 3)::float8 as queue_wait_sec, round(${FIRST_RESPONSE}::numeric, 3)::float8 as first_response_sec,
      round(${HANDLE}::numeric, 3)::float8 as handle_sec, round(${RESOLUTION}::numeric, 3)::float8 as resolution_sec,
      f.requeues, f.transfers, f.rating_score as rating, f.rating_scale, f.rating_resolved
    from report_facts f
    where ${factsWhere(f)} ${after ? sql`and (f.started_at, f.conversation_id) > (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``}
    order by f.started_at, f.conversation_id limit ${limit}`);
  return rows;
}
