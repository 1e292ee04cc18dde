import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { operations as ops } from '../../client/operations.js';
import { restClient } from '../../client/rest.js';
import { connectDatabase } from '../../db/client.js';
import { agentsServing, medianFirstResponseSec, medianServiceSec } from '../../db/service-times.js';
import { summarize } from '../lib/stats.js';

/**
 * Issue 19, when nobody can answer: what the channel's availability and the queue's estimated wait cost.
 * `conversations` served conversations of the last week (queued, answered, ended) are generated in the
 * stack's database; then the medians behind "typically replies in" and the estimated wait are timed
 * straight on PostgreSQL (what a cache miss costs), and the public `GET /api/channels/web/availability`
 * end to end over loopback (mostly cache hits: what a launcher on every page load costs).
 */
export interface AvailabilityPhaseOptions {
  apiUrl: string;
  databaseUrl: string;
  conversations: number;
  samples: number;
  log: (line: string) => void;
}

export async function availabilityPhase(o: AvailabilityPhaseOptions) {
  const database = connectDatabase(o.databaseUrl, 2);
  const { db } = database;
  try {
    const visitorId = randomUUID();
    const t0 = Date.now();
    await db.execute(sql`insert into visitors (id, display_name) values (${visitorId}, 'Bench availability')`);
    // One statement per table: served conversations spread over the week, answered after 5–300 s, served 1–20 min.
    await db.execute(sql`
      insert into conversations (id, workflow_id, visitor_id, channel, status, agent_id, flow_id, flow_version, created_at, ended_at)
      select gen_random_uuid(), 'bench-avail-' || i, ${visitorId}, 'web', 'ended', gen_random_uuid(), 'bench', 1,
             now() - (i % 600000) * interval '1 second', now() - (i % 600000) * interval '1 second' + interval '25 minutes'
        from generate_series(1, ${o.conversations}) i`);
    await db.execute(sql`
      insert into desk_queue (conversation_id, desk_id, team_id, vip, visitor_name, enqueued_at, seq, position, queued, revision)
      select id, 'bench-avail', null, false, 'V', created_at, 0, 0, false, 0 from conversations where workflow_id like 'bench-avail-%'`);
    await db.execute(sql`
      insert into messages (id, conversation_id, sender, body, created_at)
      select gen_random_uuid(), id, 'agent', '{"kind":"text","text":"hello"}'::jsonb, created_at + ((abs(hashtext(id::text)) % 296) + 5) * interval '1 second'
        from conversations where workflow_id like 'bench-avail-%'`);
    await db.execute(sql`analyze conversations; analyze messages; analyze desk_queue`);
    o.log(`availability: ${o.conversations} served conversations generated in ${Date.now() - t0} ms`);

    const timed = async (fn: () => Promise<unknown>) => { const started = performance.now(); await fn(); return performance.now() - started; };
    const firstResponse: number[] = [];
    const service: number[] = [];
    for (let i = 0; i < Math.min(o.samples, 30); i++) {
      firstResponse.push(await timed(() => medianFirstResponseSec(db, 'web', 7 * 24 * 3600, 3)));
      service.push(await timed(() => Promise.all([medianServiceSec(db, 7 * 24 * 3600), agentsServing(db, null)])));
    }
    const api = restClient(o.apiUrl);
    const now = await api.call(ops.getChannelAvailability, { params: { channel: 'web' }, token: null });
    const reads: number[] = [];
    for (let i = 0; i < o.samples; i++) reads.push(await timed(() => api.call(ops.getChannelAvailability, { params: { channel: 'web' }, token: null })));
    return {
      conversations: o.conversations, availability: now, firstResponseQuery: summarize(firstResponse), serviceQuery: summarize(service), read: summarize(reads),
    };
  } finally {
    await database.close();
  }
}
