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
 * db/migrations/*_history_extra.sql), tags when the tags table exists.
 */

/**
 * Tags live in the notes slice's tables, `tags (id, name, color)` and `conversation_tags
 * (conversation_id, tag_id)`. Until they exist a tag filter matches nothing and conversations carry
 * no tags; looked up on each request until found, so they are used as soon as a migration adds them.
 */
let tagTablesExist = false;
export async function hasTagTables(db: Db): Promise<boolean> {
  if (tagTablesExist) return true;
  const { rows } = await db.execute<{ ok: boolean }>(sql`select to_regclass('public.conversation_tags') is not null and to_regclass('public.tags') is not null as ok`);
  tagTablesExist = Boolean(rows[0]?.ok);
  return tagTablesExist;
}

/** The tags of each conversation (none before the tags table exists). */
export async function tagsOf(db: Db, conversationIds: string[]): Promise<Map<string, TagRef[]>> {
  const byId = new Map<string, TagRef[]>(conversationIds.map((id) => [id, []]));
  if (!conversationIds.length || !(await hasTagTables(db))) return byId;
  const { rows } = await db.execute<{ conversation_id: string; id: string; name: string; color: string | null }>(sql`
    select ct.conversation_id, t.id::text as id, t.name, t.color from conversation_tags ct join tags t on t.id::text = ct.tag_id::text
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

const text = sql`parley_search_text(m.sender, m.body)`;

function matchOf(mode: 'words' | 'partial', terms: string[]): SQL {
  if (mode === 'partial') return sql.join(terms.map((t) => sql`${text} ilike ${`%${t}%`}`), sql` and `);
  const phrases = cjkPhrases(terms).map((p) => sql` and ${text} ilike ${`%${p}%`}`);
  return sql`parley_search_tsv(m.sender, m.body) @@ to_tsquery('simple', ${wordsQuery(terms)})${sql.join(phrases)}`;
}

/**
 * One page of the conversations an agent served (all conversations for `agentId: null`), newest first,
 * filtered, and with a search: only those with a matching message, each with its latest match.
 * A search first matches words and word starts (full-text index); when that finds nothing at all, the
 * terms anywhere inside words (trigram index), which is also what finds a Chinese phrase's substrings
 * the pairs do not cover.
 */
export async function historyPage(db: Db, opts: { agentId: string | null; filters: HistoryFilters; cursor: Cursor | null; limit: number }): Promise<HistoryPage> {
  const { filters, cursor, limit } = opts;
  const terms = filters.q ? searchTerms(filters.q) : [];
  // a search with nothing to look for (only punctuation) finds nothing, rather than everything
  if (filters.q && !terms.length) return { items: [], nextCursor: null, matched: 'words' };
  const where: SQL[] = [];
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
    where.push(await hasTagTables(db)
      ? sql`exists (select 1 from conversation_tags ct where ct.conversation_id = c.id and ct.tag_id::text in (${sql.join(filters.tags.map((t) => sql`${t}`), sql`, `)}))`
      : sql`false`);
  }
  if (cursor) where.push(sql`(c.created_at, c.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);

  const run = async (mode: 'words' | 'partial' | null) => {
    const match = mode ? matchOf(mode, mode === 'partial' ? partialTerms(terms) ?? terms : terms) : null;
    const conditions = match ? [...where, sql`c.id in (select m.conversation_id from messages m where ${match})`] : where;
    const hit = match
      ? sql`join lateral (select m.id, m.seq, m.sender, m.created_at, ${text} as txt from messages m
              where m.conversation_id = c.id and ${match} order by m.seq desc limit 1) hit on true`
      : sql``;
    const cols = match ? sql`, hit.id as message_id, hit.seq, hit.sender, hit.created_at as hit_at, hit.txt` : sql``;
    const { rows } = await db.execute<PageRow>(sql`
      select c.id, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at${cols} from conversations c ${hit}
      ${conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``}
      order by c.created_at desc, c.id desc limit ${limit + 1}`);
    return rows;
  };

  let mode: 'words' | 'partial' | null = terms.length ? cursor?.mode ?? 'words' : null;
  if (terms.length && !wordsQuery(terms)) mode = null;
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
