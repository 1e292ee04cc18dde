import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { conversationReads } from './schema.js';

/** The reader key of the visitor's position (staff positions are keyed by user id). */
export const VISITOR_READER = 'visitor';

export interface ReadPosition { deliveredSeq: number; readSeq: number }

/**
 * Moves a reader's position forward (never back) and returns it. Seqs past the conversation's newest message
 * are cut to it, so nobody can mark messages read before they exist; read implies delivered.
 */
export async function advanceReadPosition(db: Db, conversationId: string, reader: string, deliveredSeq: number, readSeq: number): Promise<ReadPosition> {
  const { rows } = await db.execute<{ delivered_seq: string; read_seq: string }>(sql`
    insert into conversation_reads as r (conversation_id, reader, delivered_seq, read_seq)
    select ${conversationId}, ${reader}, least(greatest(${deliveredSeq}::bigint, ${readSeq}::bigint), newest.seq), least(${readSeq}::bigint, newest.seq)
    from (select coalesce(max(seq), 0) as seq from messages where conversation_id = ${conversationId}) newest
    on conflict (conversation_id, reader) do update set
      delivered_seq = greatest(r.delivered_seq, excluded.delivered_seq),
      read_seq = greatest(r.read_seq, excluded.read_seq),
      updated_at = now()
    returning delivered_seq, read_seq`);
  return { deliveredSeq: Number(rows[0].delivered_seq), readSeq: Number(rows[0].read_seq) };
}

export async function readPosition(db: Db, conversationId: string, reader: string): Promise<ReadPosition> {
  const [row] = await db.select({ deliveredSeq: conversationReads.deliveredSeq, readSeq: conversationReads.readSeq }).from(conversationReads)
    .where(and(eq(conversationReads.conversationId, conversationId), eq(conversationReads.reader, reader)));
  return row ?? { deliveredSeq: 0, readSeq: 0 };
}
