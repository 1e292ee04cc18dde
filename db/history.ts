import { inArray, sql, type SQL } from 'drizzle-orm';
import type { ConversationStatus, ConversationSummary } from '../domain/conversation.js';
import type { HistoryItem, HistoryPage, TagRef } from '../domain/contracts/rest.js';
import { cjkPhrases, partialTerms, searchTerms, snippetOf, wordsQuery } from '../domain/history.js';
import type { Sender } from '../domain/messages.js';
import type { Db } from './client.js';
import { findConversationSummaries } from './queries.js';
import { conversations } from './schema.js';

/**
 * "My conversations" and transcripts: which conversations an agent served, the search over their
 * messages (full-text, then trigram for partial words: the functions and GIN indexes are in
 * db/migrations/0011_history_search.sql) and the conversations' tags.
 */

/** The tags of each conversation (db/classification.ts manages them), by name. */
export async function tagsOf(db: Db, conversationIds: string[]): Promise<Map<string, TagRef[]>> {
  const byId = new Map<string, TagRef[]>(conversationIds.map((id) => [id, []]));
  if (!conversationIds.length) return byId;
  const { rows } = await db.execute<{ conversation_id: string; id: string; name: string; color: string | null }>(sql`
    select ct.conversation_id, t.id::text as id, t.name, t.colour as color from conversation_tags ct join tags t on t.id = ct.tag_id
    where ct.conversation_id in (${sql.join(conversationIds.map((id) => sql`${id}::uuid`), sql`, `)}) order by t.name`);
  for (const r of rows) byId.get(r.conversation_id)?.push({ id: r.id, name: r.name, color: r.color ?? null });
  return byId;
}

/** Conversations the agent served: held at the end (or now), or transferred away or taken over on the way. */
const servedBy = (agentId: string) => sql`(
  select id from conversations where agent_id = ${agentId}
  union select conversation_id from transfers where from_agent_id = ${agentId} or (to_agent_id = ${agentId} and outcome = 'accepted'))`;

/** Whether the agent served the conversation (the transcript rule). */
export async function agentServed(db: Db, agentId: string, conversationId: string): Promise<boolean> {
  const { rows } = await db.execute(sql`select 1 from conversations c where c.id = ${conversationId} and c.id in ${servedBy(agentId)}`);
  return rows.length > 0;
}

/** Whether the agent is serving (assigned) a conversation of this visitor right now. */
export async function agentServesVisitor(db: Db, agentId: string, visitorId: string): Promise<boolean> {
  const { rows } = await db.execute(sql`select 1 from conversations where visitor_id = ${visitorId} and agent_id = ${agentId} and status = 'assigned' limit 1`);
  return rows.length > 0;
}

export type RatingFilter = 1 | 2 | 3 | 4 | 5 | 'none';
export interface HistoryFilters {
  statuses?: ConversationStatus[];
  /** created at or after */
  from?: Date;
  /** created before */
  before?: Date;
  tags?: string[];
  ratings?: RatingFilter[];
  q?: string;
}

/** Where the next page starts: the last row's creation time (UTC, to the microsecond as stored), id and search mode. */
interface Cursor { at: string; id: string; mode: 'words' | 'partial' | null }
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id, c.mode])).toString('base64url');
}
/** The cursor, or null when it is not one this API gave out. */
export function decodeCursor(s: string): Cursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3) return null;
    const [at, id, mode] = v as unknown[];
    if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at) || Number.isNaN(Date.parse(at))) return null;
    if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    if (mode !== null && mode !== 'words' && mode !== 'partial') return null;
    return { at, id, mode };
  } catch {
    return null;
  }
}

/** How many of the agent's newest conversations a search reads message by message before asking the index instead. */
const SCAN_WINDOW = 300;
/** Below this many expected matching messages (all agents'), the index is asked first. */
const FEW_MATCHES = 3000;

/** How many messages PostgreSQL's planner expects to match (from the column statistics; no rows are read). */
export async function estimatedMatches(db: Db, match: SQL): Promise<number> {
  const { rows } = await db.execute<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(sql`explain (format json) select 1 from messages m where ${match}`);
  return rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? Number.POSITIVE_INFINITY;
}

export function matchOf(mode: 'words' | 'partial', terms: string[], m = sql.raw('m')): SQL {
  if (mode === 'partial') return sql.join(terms.map((t) => sql`${m}.search_text ilike ${`%${t}%`}`), sql` and `);
  const phrases = cjkPhrases(terms).map((p) => sql` and ${m}.search_text ilike ${`%${p}%`}`);
  return sql`${m}.search_tsv @@ to_tsquery('simple', ${wordsQuery(terms)})${sql.join(phrases)}`;
}

/**
 * One page of the conversations an agent served (all conversations for `agentId: null`), newest first,
 * filtered, and with a search: only those with a matching message, each with its latest match.
 * A search first matches words and word starts (full-text index); when that finds nothing at all, the
 * terms anywhere inside words (trigram index), which is also what finds a Chinese phrase's substrings
 * the pairs do not cover.
 *
 * Two ways to run a search, because words differ by orders of magnitude in how often they occur: for a
 * word the planner's statistics say is rare, the indexes find the matching messages first, then their
 * conversations; for a common one the newest SCAN_WINDOW conversations are read message by message
 * (cheap: the words are stored), which fills a page at once, and only if that window does not fill the
 * page are the indexes asked after all.
 */
export async function historyPage(
  db: Db, opts: { agentId: string | null; filters: HistoryFilters; cursor: Cursor | null; limit: number; where?: SQL[] },
): Promise<HistoryPage> {
  const { filters, cursor, limit } = opts;
  const terms = filters.q ? searchTerms(filters.q) : [];
  // a search with nothing to look for (only punctuation) finds nothing, rather than everything
  if (filters.q && !terms.length) return { items: [], nextCursor: null, matched: 'words' };
  // further conditions on the conversation `c` (the admin search's filters, db/search.ts)
  const where: SQL[] = [...(opts.where ?? [])];
  if (opts.agentId) where.push(sql`c.id in ${servedBy(opts.agentId)}`);
  if (filters.statuses?.length) where.push(sql`c.status in (${sql.join(filters.statuses.map((s) => sql`${s}`), sql`, `)})`);
  if (filters.from) where.push(sql`c.created_at >= ${filters.from.toISOString()}::timestamptz`);
  if (filters.before) where.push(sql`c.created_at < ${filters.before.toISOString()}::timestamptz`);
  if (filters.ratings?.length) {
    const scores = filters.ratings.filter((r): r is Exclude<RatingFilter, 'none'> => r !== 'none');
    const alts: SQL[] = [];
    if (scores.length) alts.push(sql`c.rating in (${sql.join(scores.map((s) => sql`${s}`), sql`, `)})`);
    if (filters.ratings.includes('none')) alts.push(sql`c.rating is null`);
    where.push(sql`(${sql.join(alts, sql` or `)})`);
  }
  if (filters.tags?.length) {
    where.push(sql`exists (select 1 from conversation_tags ct where ct.conversation_id = c.id and ct.tag_id::text in (${sql.join(filters.tags.map((t) => sql`${t}`), sql`, `)}))`);
  }
  if (cursor) where.push(sql`(c.created_at, c.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  const whereSql = (extra: SQL[] = []) => {
    const all = [...where, ...extra];
    return all.length ? sql`where ${sql.join(all, sql` and `)}` : sql``;
  };
  const at = sql`to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`;
  const order = sql`order by c.created_at desc, c.id desc`;

  const hitOf = (match: SQL) => sql`join lateral (select m.id as message_id, m.seq, m.sender, m.created_at as hit_at, m.search_text as txt from messages m
    where m.conversation_id = c.id and ${match} order by m.seq desc limit 1) hit on true`;
  // The same, reading the conversation's messages newest first and checking each (`offset 0` keeps the
  // check out of the scan): a common word's index entries are far more than one conversation's messages.
  const scanOf = (match: SQL) => sql`join lateral (select mm.id as message_id, mm.seq, mm.sender, mm.created_at as hit_at, mm.search_text as txt
    from (select m.id, m.seq, m.sender, m.created_at, m.search_text, m.search_tsv from messages m where m.conversation_id = c.id order by m.seq desc offset 0) mm
    where ${match} limit 1) hit on true`;

  const run = async (mode: 'words' | 'partial' | null): Promise<PageRow[]> => {
    if (!mode) {
      return (await db.execute<PageRow>(sql`select c.id, ${at} from conversations c ${whereSql()} ${order} limit ${limit + 1}`)).rows;
    }
    const searched = mode === 'partial' ? partialTerms(terms) ?? terms : terms;
    const match = matchOf(mode, searched);
    const indexFirst = async () => (await db.execute<PageRow>(sql`
      with hits as materialized (select distinct m.conversation_id from messages m where ${match})
      select c.id, ${at}, hit.* from conversations c ${hitOf(match)} ${whereSql([sql`c.id in (select conversation_id from hits)`])} ${order} limit ${limit + 1}`)).rows;
    // A word PostgreSQL expects in few messages (its statistics of the stored words): the index first.
    if (await estimatedMatches(db, match) < FEW_MATCHES) return indexFirst();
    // 1. the newest conversations, message by message
    const scanned = (await db.execute<PageRow & { window_full: boolean }>(sql`
      with recent as (select c.id, c.created_at from conversations c ${whereSql()} ${order} limit ${SCAN_WINDOW})
      select c.id, ${at}, hit.*, (select count(*) from recent) = ${SCAN_WINDOW} as window_full
      from recent c ${scanOf(matchOf(mode, searched, sql.raw('mm')))} ${order} limit ${limit + 1}`)).rows;
    const windowFull = scanned.length ? scanned[0].window_full
      : (await db.execute<{ full: boolean }>(sql`select count(*) = ${SCAN_WINDOW} as full from (select 1 from conversations c ${whereSql()} limit ${SCAN_WINDOW}) x`)).rows[0]?.full;
    if (scanned.length > limit || !windowFull) return scanned; // a full page, or every conversation was read
    // 2. the matching messages first (index), then their conversations
    return indexFirst();
  };

  let mode: 'words' | 'partial' | null = terms.length ? cursor?.mode ?? 'words' : null;
  let rows = await run(mode);
  if (mode === 'words' && !cursor && rows.length === 0 && partialTerms(terms)) {
    mode = 'partial';
    rows = await run(mode);
  }
  const page = rows.slice(0, limit);
  const ids = page.map((r) => r.id);
  const [summaries, tags] = await Promise.all([
    ids.length ? findConversationSummaries(db, inArray(conversations.id, ids), ids.length) : Promise.resolve([] as ConversationSummary[]),
    tagsOf(db, ids),
  ]);
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const items: HistoryItem[] = page.flatMap((r) => {
    const conversation = byId.get(r.id);
    if (!conversation) return [];
    return [{
      conversation, tags: tags.get(r.id) ?? [],
      match: r.message_id ? {
        messageId: r.message_id, seq: Number(r.seq), sender: r.sender as Sender, createdAt: new Date(r.hit_at!).toISOString(), snippet: snippetOf(r.txt ?? '', terms),
      } : null,
    }];
  });
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, id: last.id, mode }) : null, matched: terms.length ? mode : null };
}

type PageRow = { id: string; at: string; message_id?: string; seq?: string | number; sender?: string; hit_at?: string | Date; txt?: string };

/** A visitor's closed conversations (rating window or ended), newest first, with their tags. */
export async function visitorPastConversations(db: Db, visitorId: string, limit: number) {
  const { rows } = await db.execute<{ id: string }>(sql`
    select id from conversations where visitor_id = ${visitorId} and status in ('rating', 'ended') order by created_at desc, id desc limit ${limit}`);
  const ids = rows.map((r) => r.id);
  if (!ids.length) return [];
  const [summaries, tags] = await Promise.all([findConversationSummaries(db, inArray(conversations.id, ids), ids.length), tagsOf(db, ids)]);
  const byId = new Map(summaries.map((s) => [s.id, s]));
  return ids.flatMap((id) => (byId.has(id) ? [{ conversation: byId.get(id)!, tags: tags.get(id) ?? [] }] : []));
}
