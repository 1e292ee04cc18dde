import { sql, type SQL } from 'drizzle-orm';
import type { ConversationRecord, SearchPage } from '../domain/contracts/rest.js';
import { partialTerms, searchTerms } from '../domain/history.js';
import { csvSafe, SEARCH_COUNT_CAP, type SearchFilters } from '../domain/search.js';
import type { Db } from './client.js';
import { estimatedMatches, historyPage, matchOf, type decodeCursor } from './history.js';

/**
 * Issue 21: the admin's search over every conversation, its capped count, the streamed CSV rows and a
 * conversation's record (ratings, transfers, status timeline). Message words are found through the
 * history search's functions and indexes (db/history.ts, db/migrations/0011_history_search.sql); the
 * conversation filters are conditions on `c` that the page, the count and the CSV share.
 */

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
/** A LIKE pattern matching `s` literally anywhere. */
const containing = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** The filters as conditions on the conversation `c` (everything but the message words). */
export function searchConditions(f: SearchFilters): SQL[] {
  const where: SQL[] = [];
  const tz = f.tz ?? 'UTC';
  // Days are inclusive and in the caller's zone: [from 00:00, the day after `to` 00:00).
  if (f.from) where.push(sql`c.created_at >= (${f.from}::date)::timestamp at time zone ${tz}`);
  if (f.to) where.push(sql`c.created_at < (${f.to}::date + 1)::timestamp at time zone ${tz}`);
  if (f.teamId?.length) where.push(sql`c.team_id in (${list(f.teamId)})`);
  if (f.agentId?.length) where.push(sql`c.agent_id in (${sql.join(f.agentId.map((a) => sql`${a}::uuid`), sql`, `)})`);
  if (f.channel?.length) where.push(sql`c.channel in (${list(f.channel)})`);
  if (f.flowId?.length) where.push(sql`c.flow_id in (${list(f.flowId)})`);
  if (f.status?.length) where.push(sql`c.status in (${list(f.status)})`);
  if (f.closedBy?.length) where.push(sql`c.closed_by in (${list(f.closedBy)})`);
  if (f.rating?.length) {
    const scores = f.rating.filter((r) => r !== 'none').map(Number);
    const alts: SQL[] = [];
    if (scores.length) alts.push(sql`c.rating in (${sql.join(scores.map((s) => sql`${s}`), sql`, `)})`);
    if (f.rating.includes('none')) alts.push(sql`c.rating is null`);
    where.push(sql`(${sql.join(alts, sql` or `)})`);
  }
  if (f.comment) {
    const commented = sql`exists (select 1 from ratings r where r.conversation_id = c.id and r.counted and coalesce(btrim(r.comment), '') <> '')`;
    where.push(f.comment === 'yes' ? commented : sql`not ${commented}`);
  }
  if (f.tag?.length) {
    where.push(sql`exists (select 1 from conversation_tags ct where ct.conversation_id = c.id
      and ct.tag_id in (${sql.join(f.tag.map((t) => sql`${t}::uuid`), sql`, `)}))`);
  }
  const visitor = f.visitor?.trim();
  if (visitor) {
    // The trigram indexes serve "anywhere in" for 3 characters or more; shorter: the whole value, except
    // Chinese, Japanese or Korean (a two-character name is common), read without the index's help.
    const anywhere = [...visitor].length >= 3 || CJK.test(visitor);
    const like = anywhere ? containing(visitor) : visitor.replace(/[\\%_]/g, (ch) => `\\${ch}`);
    where.push(sql`c.visitor_id in (select v.id from visitors v where v.display_name ilike ${like} or v.email ilike ${like}
      or v.phone ilike ${like} or v.external_id = ${visitor})`);
  }
  return where;
}

const whereOf = (conds: SQL[]) => (conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``);

/** One page, newest first, with the total (counted up to SEARCH_COUNT_CAP). */
export async function searchPage(
  db: Db, filters: SearchFilters, cursor: ReturnType<typeof decodeCursor>, limit: number,
): Promise<SearchPage> {
  const where = searchConditions(filters);
  // The count runs beside the page (its words as whole words and word starts, as the page tries first);
  // again only in the rare case that the page fell back to partial words.
  const [page, total] = await Promise.all([
    historyPage(db, { agentId: null, filters: filters.q ? { q: filters.q } : {}, cursor, limit, where }),
    countMatches(db, filters, where, filters.q ? 'words' : null),
  ]);
  return { ...page, total: page.matched === 'partial' ? await countMatches(db, filters, where, 'partial') : total };
}

/** The message-word condition on `c` for a search's terms, in the mode the page matched with. */
async function wordsCondition(db: Db, q: string | undefined, mode: 'words' | 'partial' | null): Promise<SQL | null | 'nothing'> {
  const terms = q ? searchTerms(q) : [];
  if (q && !terms.length) return 'nothing';
  if (!terms.length || !mode) return null;
  const match = matchOf(mode, mode === 'partial' ? partialTerms(terms) ?? terms : terms);
  // a rare word: its messages first (index); a common one: each conversation's messages (newest first)
  return await estimatedMatches(db, match) < 3000
    ? sql`c.id in (select m.conversation_id from messages m where ${match})`
    : sql`exists (select 1 from messages m where m.conversation_id = c.id and ${match})`;
}

/** Counted newest first, like the page: a common word's check stops after the cap's worth of matches. */
async function countMatches(db: Db, f: SearchFilters, where: SQL[], mode: 'words' | 'partial' | null): Promise<SearchPage['total']> {
  const words = await wordsCondition(db, f.q, mode ?? (f.q ? 'words' : null));
  if (words === 'nothing') return { count: 0, capped: false };
  const conds = words ? [...where, words] : where;
  const { rows } = await db.execute<{ n: string | number }>(sql`
    select count(*) as n from (select 1 from conversations c ${whereOf(conds)} order by c.created_at desc, c.id desc limit ${SEARCH_COUNT_CAP + 1}) x`);
  const n = Number(rows[0]?.n ?? 0);
  return n > SEARCH_COUNT_CAP ? { count: SEARCH_COUNT_CAP, capped: true } : { count: n, capped: false };
}

type CsvRow = {
  id: string; at: string; created: string; ended: string | null; status: string; closed_by: string | null; channel: string; team: string | null;
  agent: string | null; visitor_name: string; email: string | null; phone: string | null; external_id: string | null; flow_id: string;
  flow_version: number; rating: number | null; comment: string | null; tags: string | null; messages: string | number; workflow_id: string;
};

/**
 * Every matching conversation as a CSV record (SEARCH_CSV_COLUMNS), newest first, `batch` rows per
 * query (keyset: memory stays constant however many rows there are). Words match whole words and word
 * starts, then — when none does — anywhere inside words, as the page does.
 */
export async function* searchCsvRecords(db: Db, filters: SearchFilters, batch = 1000): AsyncGenerator<string[]> {
  const where = searchConditions(filters);
  const terms = filters.q ? searchTerms(filters.q) : [];
  if (filters.q && !terms.length) return;
  let mode: 'words' | 'partial' | null = terms.length ? 'words' : null;
  if (mode && partialTerms(terms)) {
    const any = await wordsCondition(db, filters.q, 'words');
    const probe = await db.execute(sql`select 1 from conversations c ${whereOf([...where, any as SQL])} limit 1`);
    if (!probe.rows.length) mode = 'partial';
  }
  const words = mode ? await wordsCondition(db, filters.q, mode) : null;
  const conds = words && words !== 'nothing' ? [...where, words] : where;
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const keyset: SQL[] = after ? [sql`(c.created_at, c.id) < (${after.at}::timestamptz, ${after.id}::uuid)`] : [];
    const { rows } = await db.execute<CsvRow>(sql`
      select c.id, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
        to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created,
        to_char(c.ended_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ended,
        c.status, c.closed_by, c.channel, t.name as team, u.nickname as agent, v.display_name as visitor_name, v.email, v.phone,
        v.external_id, c.flow_id, c.flow_version, c.rating, c.workflow_id,
        (select r.comment from ratings r where r.conversation_id = c.id and r.counted order by r.id desc limit 1) as comment,
        (select string_agg(tg.name, '; ' order by tg.name) from conversation_tags ct join tags tg on tg.id = ct.tag_id where ct.conversation_id = c.id) as tags,
        (select count(*) from messages m where m.conversation_id = c.id and not m.staff_only) as messages
      from conversations c join visitors v on v.id = c.visitor_id left join users u on u.id = c.agent_id left join teams t on t.id = c.team_id
      ${whereOf([...conds, ...keyset])} order by c.created_at desc, c.id desc limit ${batch}`);
    for (const r of rows) {
      yield [
        r.id, r.created, r.ended ?? '', r.status, r.closed_by ?? '', r.channel, r.team ?? '', r.agent ?? '', r.visitor_name, r.email ?? '',
        r.phone ?? '', r.external_id ?? '', r.flow_id, String(r.flow_version), r.rating === null ? '' : String(r.rating), r.comment ?? '',
        r.tags ?? '', String(r.messages), r.workflow_id,
      ].map(csvSafe);
    }
    if (rows.length < batch) return;
    const last = rows[rows.length - 1];
    after = { at: last.at, id: last.id };
  }
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** Ratings, transfers (with who and the outcome) and the status timeline of one conversation. */
export async function conversationRecord(db: Db, conversationId: string): Promise<ConversationRecord | null> {
  const head = await db.execute<{ created_at: string | Date; ended_at: string | Date | null; closed_by: string | null }>(sql`
    select created_at, ended_at, closed_by from conversations where id = ${conversationId}`);
  const conv = head.rows[0];
  if (!conv) return null;
  const [ratings, transfers, notices] = await Promise.all([
    db.execute<{ score: number; scale: number | null; label: string | null; comment: string | null; resolved: boolean | null; counted: boolean; created_at: string | Date }>(sql`
      select score, scale, label, comment, resolved, counted, created_at from ratings where conversation_id = ${conversationId} order by id`),
    db.execute<{ id: string; from_agent_id: string; from_name: string | null; to_agent_id: string | null; to_name: string | null; to_team_id: string | null;
      team_name: string | null; outcome: string; created_at: string | Date; resolved_at: string | Date | null }>(sql`
      select tr.id, tr.from_agent_id, fu.nickname as from_name, tr.to_agent_id, tu.nickname as to_name, tr.to_team_id, tm.name as team_name,
        tr.outcome, tr.created_at, tr.resolved_at
      from transfers tr left join users fu on fu.id = tr.from_agent_id left join users tu on tu.id = tr.to_agent_id left join teams tm on tm.id = tr.to_team_id
      where tr.conversation_id = ${conversationId} order by tr.created_at`),
    db.execute<{ kind: string; text: string | null; created_at: string | Date }>(sql`
      select body->>'kind' as kind, body->>'text' as text, created_at from messages
      where conversation_id = ${conversationId} and sender = 'system'
        and body->>'kind' in ('queue', 'notice', 'transfer', 'timeout', 'end', 'rating-invite', 'rating-result', 'leave-message') order by seq`),
  ]);
  type Entry = ConversationRecord['timeline'][number];
  const timeline: Entry[] = [{ at: iso(conv.created_at)!, kind: 'started', text: null }];
  for (const n of notices.rows) timeline.push({ at: iso(n.created_at)!, kind: n.kind as Entry['kind'], text: n.text });
  for (const t of transfers.rows) {
    const to = t.to_name ?? t.team_name ?? t.to_team_id;
    timeline.push({ at: iso(t.created_at)!, kind: 'transfer-requested', text: [t.from_name, to].filter(Boolean).join(' → ') || null });
    if (t.resolved_at) timeline.push({ at: iso(t.resolved_at)!, kind: 'transfer-resolved', text: t.outcome });
  }
  if (conv.ended_at) timeline.push({ at: iso(conv.ended_at)!, kind: 'ended', text: conv.closed_by });
  timeline.sort((a, b) => a.at.localeCompare(b.at));
  return {
    ratings: ratings.rows.map((r) => ({
      score: r.score, scale: r.scale, label: r.label, comment: r.comment, resolved: r.resolved, counted: r.counted, createdAt: iso(r.created_at)!,
    })),
    transfers: transfers.rows.map((t) => ({
      id: t.id, fromAgentId: t.from_agent_id, fromAgentName: t.from_name, toAgentId: t.to_agent_id, toAgentName: t.to_name, toTeamId: t.to_team_id,
      toTeamName: t.team_name, outcome: t.outcome, createdAt: iso(t.created_at)!, resolvedAt: iso(t.resolved_at),
    })),
    timeline,
  };
}
