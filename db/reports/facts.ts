import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';

/**
 * The reporting projection (docs/metrics.md): `report_facts`, one row per conversation, and `report_offers`.
 * Written off the chat path: the projection activity records a conversation's status changes (never its
 * messages), the desk's publishing activity its offers; `backfillReportFacts` derives the same rows for
 * data written without them (older releases, the bulk generator).
 */

const CLOSED = sql`('rating', 'ended')`;

/**
 * Recomputes the facts of some conversations (or, `ids` null, all of them) from the raw tables in one
 * set-based statement. First times the projection observed (queued, assigned, closed) are kept; where none
 * was observed they are derived from the transcript: the first queue notice (or the desk's enqueue), the
 * first system notice or transfer message of a conversation an agent held, the `end` message.
 */
async function refreshFacts(db: Db, ids: string[] | null): Promise<number> {
  if (ids !== null && ids.length === 0) return 0;
  const only = (col: SQL) => (ids === null ? sql`true` : sql`${col} = any(${sql.param(ids)}::uuid[])`);
  const result = await db.execute(sql`
    with m as (
      select conversation_id,
        min(created_at) filter (where sender = 'system' and body->>'kind' = 'queue') as queue_msg,
        min(created_at) filter (where sender = 'system' and body->>'kind' in ('notice', 'transfer')) as notice_msg,
        min(created_at) filter (where sender = 'agent' and not staff_only) as agent_msg,
        min(created_at) filter (where body->>'kind' = 'end') as end_msg,
        bool_or(body->>'kind' = 'rating-invite') as invited
      from messages where ${only(sql`conversation_id`)}
      group by conversation_id
    ), t as (
      select conversation_id, count(*)::int as n from transfers where ${only(sql`conversation_id`)} group by conversation_id
    ), r as (
      select distinct on (conversation_id) conversation_id, score, scale, resolved, comment
      from ratings where counted and ${only(sql`conversation_id`)} order by conversation_id, id desc
    ), base as (
      select c.id, c.created_at, c.channel, c.flow_id, c.team_id, c.agent_id, c.status, c.closed_by,
        coalesce(old.queued_at, least(m.queue_msg, q.enqueued_at)) as queued_at,
        coalesce(old.assigned_at, case when c.agent_id is not null or t.n is not null or m.agent_msg is not null
          then coalesce(m.notice_msg, m.agent_msg) end) as assigned_at,
        coalesce(old.closed_at, case when c.status in ${CLOSED} then coalesce(m.end_msg, c.ended_at, c.updated_at) end) as closed_at,
        m.agent_msg, coalesce(m.invited, false) as invited, coalesce(t.n, 0) as transfers,
        r.score, r.scale, r.resolved, r.comment
      from conversations c
      left join report_facts old on old.conversation_id = c.id
      left join m on m.conversation_id = c.id
      left join t on t.conversation_id = c.id
      left join r on r.conversation_id = c.id
      left join desk_queue q on q.conversation_id = c.id
      where ${only(sql`c.id`)}
    )
    insert into report_facts as f (conversation_id, started_at, channel, flow_id, team_id, agent_id, status, closed_by,
      queued_at, assigned_at, first_response_at, closed_at, transfers, rating_invited,
      rating_score, rating_normalized, rating_scale, rating_resolved, rating_has_comment, updated_at)
    select id, created_at, channel, flow_id, team_id, agent_id, status, closed_by,
      queued_at, assigned_at, case when agent_msg >= assigned_at then agent_msg end, closed_at, transfers, invited or score is not null,
      score,
      case when score is null then null when coalesce(scale, 5) <= 1 then score
           else greatest(1, least(5, round(1 + (score - 1) * 4.0 / (coalesce(scale, 5) - 1))))::int end,
      scale, resolved, coalesce(comment, '') <> '', now()
    from base
    on conflict (conversation_id) do update set
      started_at = excluded.started_at, channel = excluded.channel, flow_id = excluded.flow_id, team_id = excluded.team_id,
      agent_id = excluded.agent_id, status = excluded.status, closed_by = excluded.closed_by,
      queued_at = excluded.queued_at, assigned_at = excluded.assigned_at, first_response_at = excluded.first_response_at,
      closed_at = excluded.closed_at, transfers = excluded.transfers, rating_invited = excluded.rating_invited,
      rating_score = excluded.rating_score, rating_normalized = excluded.rating_normalized, rating_scale = excluded.rating_scale,
      rating_resolved = excluded.rating_resolved, rating_has_comment = excluded.rating_has_comment, updated_at = now()`);
  return result.rowCount ?? 0;
}

/**
 * Fills `report_facts` for every conversation from the raw tables (set-based; one statement). Safe to
 * run again: first times already observed are kept. Run after migrating existing data and after
 * `npm run seed:bulk`. Returns the number of rows written.
 */
export async function backfillReportFacts(db: Db): Promise<number> {
  return refreshFacts(db, null);
}

/**
 * A desk upgraded with conversations but no reporting rows yet (the projection is new): fills them once.
 * Null when there was nothing to do; else the rows written. Safe when several API processes start together.
 */
export async function backfillReportFactsIfNew(db: Db): Promise<number | null> {
  const { rows: [state] } = await db.execute<{ conversations: boolean; facts: boolean }>(sql`
    select exists (select 1 from conversations) as conversations, exists (select 1 from report_facts) as facts`);
  return state?.conversations && !state.facts ? backfillReportFacts(db) : null;
}

/** Recomputes the facts of these conversations (after a rating, a transfer, …). */
export async function refreshReportFacts(db: Db, conversationIds: string[]): Promise<number> {
  return refreshFacts(db, [...new Set(conversationIds)]);
}

export interface StatusChange {
  conversationId: string;
  /** The stored status before this projection write (undefined: no row). */
  before: string | null | undefined;
  status: string;
  agentId: string | null;
}

/**
 * The projection activity's part: the first time a conversation is seen waiting, served and closed, a
 * requeue, an accepted offer; then the conversation's facts. Called only when its status, agent or rating
 * changed, never per message.
 */
export async function recordStatusChange(db: Db, c: StatusChange): Promise<void> {
  const waiting = c.status === 'queued' || c.status === 'offered';
  const requeued = c.status === 'queued' && (c.before === 'offered' || c.before === 'assigned') ? 1 : 0;
  await db.execute(sql`
    insert into report_facts as f (conversation_id, started_at, channel, flow_id, status, queued_at, assigned_at, closed_at, requeues)
    select c.id, c.created_at, c.channel, c.flow_id, c.status,
      case when ${waiting} then now() end, case when ${c.status} = 'assigned' then now() end,
      case when ${c.status} in ${CLOSED} then now() end, ${requeued}
    from conversations c where c.id = ${c.conversationId}
    on conflict (conversation_id) do update set
      queued_at = coalesce(f.queued_at, excluded.queued_at), assigned_at = coalesce(f.assigned_at, excluded.assigned_at),
      closed_at = coalesce(f.closed_at, excluded.closed_at), requeues = f.requeues + excluded.requeues`);
  if (c.status === 'assigned' && c.agentId) {
    await db.execute(sql`
      update report_offers set outcome = 'accepted', resolved_at = now()
      where conversation_id = ${c.conversationId} and agent_id = ${c.agentId} and outcome = 'pending'`);
  }
  await refreshFacts(db, [c.conversationId]);
}

/* ---- offers ---- */

export type OfferNote =
  | { event: 'offer'; agentId: string; conversationId: string }
  | { event: 'offer:revoked'; agentId: string; conversationId: string; reason: 'expired' | 'taken' | 'closed' };

/**
 * The desk's offers and revocations of one turn, recorded before the agents are told. An expired offer
 * counts as missed unless the agent rejected it (the reject route marks it first or after: see recordOfferRejected).
 */
export async function recordOffers(db: Db, notes: OfferNote[]): Promise<void> {
  const offers = notes.filter((n) => n.event === 'offer');
  const revoked = notes.filter((n): n is Extract<OfferNote, { event: 'offer:revoked' }> => n.event === 'offer:revoked');
  if (offers.length) {
    await db.execute(sql`
      insert into report_offers (conversation_id, agent_id)
      select * from unnest(${sql.param(offers.map((o) => o.conversationId))}::uuid[], ${sql.param(offers.map((o) => o.agentId))}::uuid[])`);
  }
  if (revoked.length) {
    await db.execute(sql`
      update report_offers o set outcome = case v.reason when 'expired' then 'missed' else 'withdrawn' end, resolved_at = now()
      from unnest(${sql.param(revoked.map((o) => o.conversationId))}::uuid[], ${sql.param(revoked.map((o) => o.agentId))}::uuid[], ${sql.param(revoked.map((o) => o.reason))}::text[])
        as v(conversation_id, agent_id, reason)
      where o.conversation_id = v.conversation_id and o.agent_id = v.agent_id and o.outcome = 'pending'`);
  }
}

/** The agent rejected the offer (the desk reports it as expired): its latest offer of the conversation becomes rejected. */
export async function recordOfferRejected(db: Db, agentId: string, conversationId: string): Promise<void> {
  await db.execute(sql`
    update report_offers set outcome = 'rejected', resolved_at = coalesce(resolved_at, now())
    where id = (select id from report_offers where conversation_id = ${conversationId} and agent_id = ${agentId}
                 and outcome in ('pending', 'missed') order by id desc limit 1)`);
}
