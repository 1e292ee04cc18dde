import { sql } from 'drizzle-orm';
import type { MessageBody } from '../domain/messages.js';
import { OFFER_SUMMARY_LIMITS, summarizeTranscript, type OfferSummary } from '../domain/offer-summary.js';
import type { Db } from './client.js';

type Row = {
  conversation_id: string; vip: boolean; waiting_since: Date | string | null; started_at: Date | string;
  entries: Array<{ sender: 'visitor' | 'agent' | 'bot' | 'system'; body: MessageBody; createdAt: string }> | null;
};
const iso = (t: Date | string) => new Date(t).toISOString();

/**
 * The offer summaries of some conversations in one statement: the first transcript entries of each (bounded),
 * the visitor's VIP flag and when the conversation joined the desk's queue.
 */
export async function loadOfferSummaries(db: Db, conversationIds: string[]): Promise<Map<string, OfferSummary>> {
  const ids = [...new Set(conversationIds)];
  const out = new Map<string, OfferSummary>();
  if (ids.length === 0) return out;
  const { rows } = await db.execute<Row>(sql`
    select c.id as conversation_id, v.vip, q.enqueued_at as waiting_since, c.created_at as started_at,
      (select json_agg(json_build_object('sender', m.sender, 'body', m.body, 'createdAt', m.created_at) order by m.seq)
         from (select sender, body, seq, created_at from messages where conversation_id = c.id order by seq limit ${OFFER_SUMMARY_LIMITS.messages}) m) as entries
    from conversations c
    join visitors v on v.id = c.visitor_id
    left join desk_queue q on q.conversation_id = c.id
    where c.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
  for (const r of rows) {
    const entries = (r.entries ?? []).map((e) => ({ ...e, createdAt: iso(e.createdAt) }));
    const waitingSince = r.waiting_since === null ? null : iso(r.waiting_since);
    out.set(r.conversation_id, summarizeTranscript(entries, { waitingSince, vip: r.vip, startedAt: iso(r.started_at) }));
  }
  return out;
}
