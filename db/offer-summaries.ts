import { sql } from 'drizzle-orm';
import type { MessageBody } from '../domain/messages.js';
import { OFFER_SUMMARY_LIMITS, summarizeTranscript, type OfferSummary } from '../domain/offer-summary.js';
import type { Db } from './client.js';

type Row = { conversation_id: string; vip: boolean; waiting_since: Date | string | null; entries: Array<{ sender: 'visitor' | 'agent' | 'bot' | 'system'; body: MessageBody }> | null };

/**
 * The offer summaries of some conversations in one statement: the first transcript entries of each (bounded),
 * the visitor's VIP flag and when the conversation joined the desk's queue.
 */
export async function loadOfferSummaries(db: Db, conversationIds: string[]): Promise<Map<string, OfferSummary>> {
  const ids = [...new Set(conversationIds)];
  const out = new Map<string, OfferSummary>();
  if (ids.length === 0) return out;
  const { rows } = await db.execute<Row>(sql`
    select c.id as conversation_id, v.vip, q.enqueued_at as waiting_since,
      (select json_agg(json_build_object('sender', m.sender, 'body', m.body) order by m.seq)
         from (select sender, body, seq from messages where conversation_id = c.id order by seq limit ${OFFER_SUMMARY_LIMITS.messages}) m) as entries
    from conversations c
    join visitors v on v.id = c.visitor_id
    left join desk_queue q on q.conversation_id = c.id
    where c.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
  for (const r of rows) {
    const waitingSince = r.waiting_since === null ? null : new Date(r.waiting_since).toISOString();
    out.set(r.conversation_id, summarizeTranscript(r.entries ?? [], { waitingSince, vip: r.vip }));
  }
  return out;
}
