/**
 * `npm run seed:bulk` on a real PostgreSQL: the generated desk reads like the product's own data
 * (what reports and search rely on), a second run is refused, --replace regenerates the same rows.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_DEFAULTS } from '../../../scripts/lib/bulk-plan.js';
import { generateBulkData } from '../../../scripts/lib/bulk-seed.js';
import { createTestDatabase } from '../../helpers/stack.js';

const options = { ...BULK_DEFAULTS, conversations: 3000, days: 30, seed: 42, agents: 16 };
const quiet = () => {};
let url: string;
let client: pg.Client;
const one = async <T>(sql: string) => (await client.query(sql)).rows[0] as T;

beforeAll(async () => {
  url = await createTestDatabase();
  await generateBulkData(url, options, quiet);
  client = new pg.Client({ connectionString: url });
  await client.connect();
}, 120_000);
afterAll(async () => { await client?.end(); });

describe('seed:bulk', () => {
  it('writes the asked conversations with ~10 messages each, from both visitors and agents, over the range', async () => {
    const c = await one<{ n: number; first: Date; last: Date }>(`select count(*)::int n, min(created_at) first, max(created_at) last from conversations where workflow_id like 'bulk-%'`);
    expect(c.n).toBe(3000);
    expect(Date.now() - c.first.getTime()).toBeLessThanOrEqual(30 * 86_400_000 + 3_600_000);
    expect(Date.now() - c.last.getTime()).toBeLessThan(86_400_000);
    const m = await one<{ n: number; visitors: number; agents: number }>(`select count(*)::int n, count(*) filter (where sender = 'visitor')::int visitors,
      count(*) filter (where sender = 'agent')::int agents from messages`);
    expect(m.n / 3000).toBeGreaterThan(8.5);
    expect(m.n / 3000).toBeLessThan(11.5);
    expect(m.visitors).toBeGreaterThan(m.n / 4);
    expect(m.agents).toBeGreaterThan(m.n / 5);
  });

  it('is found by full-text search, in English and Chinese', async () => {
    const en = await one<{ n: number }>(`select count(*)::int n from messages where search_tsv @@ to_tsquery('simple', 'refund')`);
    const zh = await one<{ n: number }>(`select count(*)::int n from messages where search_text like '%退款%'`);
    expect(en.n).toBeGreaterThan(50);
    expect(zh.n).toBeGreaterThan(5);
  });

  it('keeps the product\'s invariants: agents where served, counted ratings on the conversation, a queue entry before the first reply', async () => {
    const bad = await one<Record<string, number>>(`select
      (select count(*)::int from conversations where status = 'ended' and closed_by is null) as ended_unclosed,
      (select count(*)::int from conversations where status in ('assigned') and agent_id is null) as held_without_agent,
      (select count(*)::int from ratings r join conversations c on c.id = r.conversation_id where r.counted and c.rating is distinct from r.score) as rating_mismatch,
      (select count(*)::int from messages m join desk_queue q using (conversation_id) where m.sender = 'agent' and m.created_at < q.enqueued_at) as reply_before_queue,
      (select count(*)::int from messages m join conversations c on c.id = m.conversation_id where c.ended_at is not null and m.created_at < c.created_at) as before_start,
      (select count(*)::int from messages m join conversations c on c.id = m.conversation_id where m.sender = 'agent'
          and m.sender_id not in (select id::text from users)) as unknown_agent,
      (select count(*)::int from (select conversation_id, client_id from messages group by 1, 2 having count(*) > 1) d) as duplicate_client_ids`);
    expect(bad).toEqual({
      ended_unclosed: 0, held_without_agent: 0, rating_mismatch: 0, reply_before_queue: 0, before_start: 0, unknown_agent: 0, duplicate_client_ids: 0,
    });
  });

  it('has the outcomes a desk has: abandoned, left messages, transfers with outcomes, ratings with comments, shifts', async () => {
    const o = await one<Record<string, number>>(`select
      (select count(*)::int from conversations where closed_by = 'visitor' and agent_id is null and id in (select conversation_id from desk_queue)) as abandoned,
      (select count(*)::int from left_messages) as left_messages,
      (select count(distinct outcome)::int from transfers) as transfer_outcomes,
      (select count(distinct score)::int from ratings) as scores,
      (select count(*)::int from ratings where comment is not null) as comments,
      (select count(distinct status)::int from agent_status_log) as statuses,
      (select count(*)::int from conversation_tags) as tags`);
    expect(o.abandoned).toBeGreaterThan(50);
    expect(o.left_messages).toBeGreaterThan(50);
    expect(o.transfer_outcomes).toBeGreaterThanOrEqual(3);
    expect(o.scores).toBe(5);
    expect(o.comments).toBeGreaterThan(20);
    expect(o.statuses).toBe(4);
    expect(o.tags).toBeGreaterThan(300);
  });

  it('refuses a second run, and --replace generates the same rows again', async () => {
    const before = await one<{ ids: string; n: number }>(`select md5(string_agg(id::text, ',' order by id)) ids, (select count(*)::int from messages) n from conversations`);
    await expect(generateBulkData(url, options, quiet)).rejects.toThrow(/already has a generated set .*--replace/);
    await generateBulkData(url, { ...options, replace: true }, quiet);
    const after = await one<{ ids: string; n: number }>(`select md5(string_agg(id::text, ',' order by id)) ids, (select count(*)::int from messages) n from conversations`);
    expect(after.ids).toBe(before.ids);
    expect(Math.abs(after.n - before.n)).toBeLessThan(before.n * 0.01); // the last hour moves with the clock
    const idx = await one<{ n: number }>(`select count(*)::int n from pg_indexes where indexname = 'messages_search_tsv_idx'`);
    expect(idx.n).toBe(1); // the indexes dropped for loading are back
  }, 120_000);
});
