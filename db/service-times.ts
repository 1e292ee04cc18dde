import { sql } from 'drizzle-orm';
import type { Db } from './client.js';

/**
 * Issue 19: recent first-response and service times, for "typically replies in …" and the queue's
 * estimated wait. Medians over conversations of the last `windowSec` (an outlier does not move them).
 */

/**
 * Median seconds from entering the desk's queue to the first agent message, over the channel's
 * conversations queued in the window; null with fewer than `minSamples` of them answered.
 */
export async function medianFirstResponseSec(db: Db, channel: string, windowSec: number, minSamples = 1): Promise<number | null> {
  const { rows } = await db.execute<{ median: number | null; n: number }>(sql`
    select percentile_cont(0.5) within group (order by extract(epoch from first_reply.at - q.enqueued_at))::float8 as median, count(*)::int as n
      from desk_queue q
      join conversations c on c.id = q.conversation_id and c.channel = ${channel}
      cross join lateral (select min(m.created_at) as at from messages m
                           where m.conversation_id = q.conversation_id and m.sender = 'agent' and not m.staff_only) first_reply
     where q.enqueued_at > now() - make_interval(secs => ${windowSec}) and first_reply.at is not null`);
  const row = rows[0];
  if (!row || row.n < minSamples || row.median === null) return null;
  return Math.max(0, Math.round(Number(row.median)));
}

/**
 * Median seconds an agent served a conversation (its first agent message to its end), over the
 * conversations that ended in the window; null with fewer than `minSamples`.
 */
export async function medianServiceSec(db: Db, windowSec: number, minSamples = 1): Promise<number | null> {
  const { rows } = await db.execute<{ median: number | null; n: number }>(sql`
    select percentile_cont(0.5) within group (order by extract(epoch from c.ended_at - served.at))::float8 as median, count(*)::int as n
      from conversations c
      cross join lateral (select min(m.created_at) as at from messages m
                           where m.conversation_id = c.id and m.sender = 'agent' and not m.staff_only) served
     where c.ended_at > now() - make_interval(secs => ${windowSec}) and c.agent_id is not null and served.at is not null`);
  const row = rows[0];
  if (!row || row.n < minSamples || row.median === null) return null;
  return Math.max(0, Math.round(Number(row.median)));
}

/** Agents serving now (online or busy, not disconnected), of one desk or (null) all. */
export async function agentsServing(db: Db, deskId: string | null): Promise<number> {
  const desk = deskId === null ? sql`true` : sql`desk_id = ${deskId}`;
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from agent_presence where ${desk} and status in ('online', 'busy') and not disconnected`);
  return rows[0]?.n ?? 0;
}

/** The signed-in agents a channel may hand off to (`teamIds` null: any agent of the desk), by status. */
export async function agentCountsFor(db: Db, deskId: string, teamIds: string[] | null): Promise<{ online: number; signedIn: number }> {
  const teams = teamIds === null ? sql`true` : teamIds.length === 0 ? sql`false`
    : sql`exists (select 1 from team_members tm where tm.user_id = p.agent_id and tm.team_id in (${sql.join(teamIds.map((t) => sql`${t}`), sql`, `)}))`;
  const { rows } = await db.execute<{ online: number; signed_in: number }>(sql`
    select count(*) filter (where p.status = 'online')::int as online, count(*)::int as signed_in
      from agent_presence p join users u on u.id = p.agent_id and not u.disabled
     where p.desk_id = ${deskId} and p.status <> 'offline' and ${teams}`);
  return { online: rows[0]?.online ?? 0, signedIn: rows[0]?.signed_in ?? 0 };
}

/**
 * When a conversation asked for an agent, for the first-response times: its desk_queue row, written
 * before the desk gets it (revision 0, not waiting). The desk's projection replaces it with the real row
 * when the conversation waits; one assigned at once has no other row, and still counts from this moment.
 */
export async function recordQueueEntry(db: Db, e: {
  conversationId: string; deskId: string; teamId: string | null; vip: boolean; visitorName: string; enqueuedAt: number;
}): Promise<void> {
  await db.execute(sql`
    insert into desk_queue (conversation_id, desk_id, team_id, vip, visitor_name, enqueued_at, seq, position, queued, revision)
    values (${e.conversationId}, ${e.deskId}, ${e.teamId}, ${e.vip}, ${e.visitorName}, ${new Date(e.enqueuedAt).toISOString()}, 0, 0, false, 0)
    on conflict (conversation_id) do nothing`);
}
