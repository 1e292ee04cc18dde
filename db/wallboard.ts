import { eq, sql } from 'drizzle-orm';
import {
  DEFAULT_WALLBOARD_SETTINGS, WallboardSettingsSchema, type Wallboard, type WallboardSettings,
} from '../domain/wallboard.js';
import type { Db } from './client.js';
import { deskSettings } from './schema.js';

const WALLBOARD_KEY = 'wallboard';

export async function loadWallboardSettings(db: Db): Promise<WallboardSettings> {
  const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, WALLBOARD_KEY));
  const parsed = row ? WallboardSettingsSchema.partial().safeParse(row.value) : null;
  return { ...DEFAULT_WALLBOARD_SETTINGS, ...(parsed?.success ? parsed.data : {}) };
}

export async function saveWallboardSettings(db: Db, settings: WallboardSettings): Promise<void> {
  await db.insert(deskSettings).values({ key: WALLBOARD_KEY, value: settings })
    .onConflictDoUpdate({ target: deskSettings.key, set: { value: settings, updatedAt: new Date() } });
}

type Count = number | string;

/**
 * The wallboard as the desk projection (agent_presence, desk_queue) and the conversations table say now.
 * Four small statements; today's service level reads only the queue rows since midnight (indexed by
 * enqueued_at) and each one's first agent message (messages by conversation).
 */
export async function readWallboard(db: Db, deskId: string, settings: WallboardSettings, now = new Date()): Promise<Wallboard> {
  const [teams, agents, progress, level] = await Promise.all([
    db.execute<{ team_id: string | null; team_name: string | null; queued: Count; oldest: string | Date | null }>(sql`
      select t.team_id, tm.name as team_name, coalesce(q.queued, 0) as queued, q.oldest
        from (select id as team_id from teams union select team_id from desk_queue where desk_id = ${deskId} and queued) t
        left join teams tm on tm.id = t.team_id
        left join (select team_id, count(*) as queued, min(enqueued_at) as oldest from desk_queue
                    where desk_id = ${deskId} and queued group by team_id) q on q.team_id is not distinct from t.team_id
       order by (t.team_id is null) desc, tm.name`),
    db.execute<{ agent_id: string; name: string; status: string; reason: string | null; load: Count; max_conversations: number; disconnected: boolean }>(sql`
      select p.agent_id, u.nickname as name, p.status, p.reason, jsonb_array_length(p.conversation_ids) as load,
             p.max_conversations, p.disconnected
        from agent_presence p join users u on u.id = p.agent_id and not u.disabled
       where p.desk_id = ${deskId}`),
    db.execute<{ status: string; n: Count }>(sql`
      select status, count(*) as n from conversations where status in ('bot', 'queued', 'offered', 'assigned') group by status`),
    db.execute<{ in_time: Count; counted: Count }>(sql`
      with today as (
        select q.conversation_id, q.enqueued_at from desk_queue q
         where q.desk_id = ${deskId}
           and q.enqueued_at >= (date_trunc('day', ${now.toISOString()}::timestamptz at time zone ${settings.timeZone}) at time zone ${settings.timeZone})),
      answered as (
        select t.enqueued_at, c.status, c.ended_at,
               (select min(m.created_at) from messages m
                 where m.conversation_id = t.conversation_id and m.sender = 'agent' and not m.staff_only and m.created_at >= t.enqueued_at) as first_answer
          from today t join conversations c on c.id = t.conversation_id)
      select count(*) filter (where first_answer is not null and first_answer - enqueued_at <= make_interval(secs => ${settings.serviceLevelSec})) as in_time,
             count(*) filter (where first_answer is not null
                                 or coalesce(ended_at, ${now.toISOString()}::timestamptz) - enqueued_at >= make_interval(secs => ${settings.serviceLevelSec})) as counted
        from answered`),
  ]);

  const nowMs = now.getTime();
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  const byStatus = { online: 0, busy: 0, away: 0, offline: 0 };
  for (const a of agents.rows) byStatus[a.status as keyof typeof byStatus] += 1;
  const inProgress = { bot: 0, queued: 0, offered: 0, assigned: 0 };
  for (const r of progress.rows) inProgress[r.status as keyof typeof inProgress] = Number(r.n);
  const inTime = Number(level.rows[0]?.in_time ?? 0);
  const counted = Number(level.rows[0]?.counted ?? 0);
  return {
    generatedAt: now.toISOString(),
    teams: teams.rows.map((t) => {
      const oldest = iso(t.oldest);
      return {
        teamId: t.team_id, teamName: t.team_name, queued: Number(t.queued), oldestEnqueuedAt: oldest,
        longestWaitSec: oldest === null ? null : Math.max(0, Math.floor((nowMs - Date.parse(oldest)) / 1000)),
      };
    }),
    agents: agents.rows.filter((a) => a.status !== 'offline')
      .map((a) => ({
        agentId: a.agent_id, name: a.name, status: a.status as Wallboard['agents'][number]['status'], reason: a.reason,
        load: Number(a.load), maxConversations: a.max_conversations, disconnected: a.disconnected,
      }))
      .sort((a, b) => b.load - a.load || a.name.localeCompare(b.name)),
    agentsByStatus: byStatus,
    inProgress,
    serviceLevel: {
      thresholdSec: settings.serviceLevelSec, timeZone: settings.timeZone, answeredInTime: inTime, counted, ratio: counted === 0 ? null : inTime / counted,
    },
  };
}
