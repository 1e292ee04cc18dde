/**
 * Bench phase `search` (issue 18): an agent's message search ("My conversations", db/history.ts) over
 * generated transcripts in the embedded PostgreSQL, in a database of its own on the stack's cluster.
 *
 * Generates `messages` messages (default 1,000,000; 20 per conversation, 20 agents, a year of dates) with
 * generate_series in one INSERT each: English sentences from a skewed vocabulary (a few words in most
 * messages, a long tail), one message in ten in Chinese, and a handful of planted rare words. Builds the
 * search indexes after loading (as a migration on a live desk would), then times the search path the API
 * runs (historyPage: the page query with its filters, the summaries, the snippets) for common words, rare
 * words, partial words, Chinese substrings and no match, each as a random agent.
 *
 *   npx tsx bench/history-search.ts --url postgres://…/postgres [--messages 1000000] [--samples 40]
 * In `npm run bench` it is the phase `search` (`--only search`; `--quick` uses 100,000 messages).
 */
import pg from 'pg';
import { connectDatabase } from '../db/client.js';
import { historyPage } from '../db/history.js';
import { runMigrations } from '../db/migrate.js';
import { round, summarize } from './lib/stats.js';

export interface SearchBenchOptions {
  /** Admin URL of the cluster (a database is created and dropped on it). */
  adminUrl: string;
  messages: number;
  samples: number;
  log: (line: string) => void;
  /** Keep the generated database (its name is logged) for EXPLAIN. */
  keep?: boolean;
}

/** Common English words first: the power law of `pick` makes the first ones appear in most messages. */
const VOCAB = [
  'order', 'please', 'help', 'thanks', 'hello', 'my', 'the', 'is', 'delivery', 'refund', 'account', 'payment', 'parcel', 'address',
  'invoice', 'password', 'login', 'card', 'shipping', 'return', 'week', 'today', 'yesterday', 'number', 'email', 'phone', 'problem',
  'status', 'tracking', 'price', 'discount', 'coupon', 'subscription', 'cancel', 'upgrade', 'warranty', 'broken', 'screen', 'battery',
  'charger', 'size', 'colour', 'exchange', 'store', 'receipt', 'bank', 'transfer', 'message', 'agent', 'manager', 'weekend', 'morning',
  'evening', 'courier', 'warehouse', 'customs', 'fee', 'tax', 'voucher', 'gift', 'birthday', 'holiday', 'schedule', 'appointment',
  'installation', 'technician', 'router', 'internet', 'slow', 'outage', 'contract', 'renewal', 'premium', 'basic', 'family', 'plan',
];
const CJK = ['我', '想', '要', '退款', '订单', '快递', '发票', '地址', '请问', '什么', '时候', '到', '可以', '帮', '查', '一下', '谢谢', '客服',
  '密码', '登录', '手机', '电脑', '坏了', '换货', '优惠券', '会员', '续费', '取消', '物流', '包裹'];
const RARE = ['kumquat', 'zeppelin', 'quokka'];

export const SEARCHES: Record<string, string[]> = {
  common: ['order', 'please help', 'delivery'],
  rare: RARE,
  partial: ['fund', 'livery', 'voic'],
  chinese: ['退款', '快递到', '优惠'],
  none: ['zebra', 'xylophone', '鲸鱼'],
};

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function runSearchBench(opts: SearchBenchOptions) {
  const { log } = opts;
  const name = `bench_search_${process.pid}`;
  const admin = new pg.Client({ connectionString: opts.adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const url = new URL(opts.adminUrl);
  url.pathname = `/${name}`;
  const database = connectDatabase(url.toString(), 4);
  try {
    await runMigrations(database.db);
    const pool = database.pool;
    const perConversation = 20;
    const conversations = Math.ceil(opts.messages / perConversation);
    const agents = 20;
    const t0 = Date.now();
    await pool.query(`drop index messages_search_tsv_idx; drop index messages_search_trgm_idx`); // built after loading, as on a live desk
    await pool.query(`insert into users (id, email, nickname, role, password_hash)
      select ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'agent' || i || '@bench.local', 'Agent ' || i, 'agent', 'x' from generate_series(1, ${agents}) i`);
    await pool.query(`insert into visitors (id, display_name) select ('10000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Visitor ' || i from generate_series(1, ${Math.ceil(conversations / 3)}) i`);
    await pool.query(`insert into conversations (id, workflow_id, visitor_id, channel, status, agent_id, flow_id, flow_version, rating, closed_by, created_at, updated_at, ended_at)
      select id, 'conversation-' || id, ('10000000-0000-4000-8000-' || lpad((1 + i % ${Math.ceil(conversations / 3)})::text, 12, '0'))::uuid, 'web',
             case when i % 50 = 0 then 'rating' else 'ended' end, ('00000000-0000-4000-8000-' || lpad((1 + i % ${agents})::text, 12, '0'))::uuid, 'default', 1,
             case when i % 3 = 0 then null else 1 + i % 5 end, 'agent', at, at, at + interval '10 minutes'
      from (select gen_random_uuid() as id, i, now() - (i * interval '1 second' * ${Math.max(1, Math.floor(365 * 86400 / conversations))}) as at from generate_series(1, ${conversations}) i) c`);
    const vocab = `array[${VOCAB.map(q).join(',')}]`;
    const cjk = `array[${CJK.map(q).join(',')}]`;
    // One message in ten Chinese (words joined without spaces), the rest English; a planted rare word every ~5,000 messages.
    await pool.query(`insert into messages (id, conversation_id, sender, sender_id, body, client_id, created_at)
      select gen_random_uuid(), c.id, case when s % 2 = 1 then 'visitor' else 'agent' end, null,
        jsonb_build_object('kind', 'text', 'text',
          case when random() < 0.1
            then (select string_agg((${cjk})[1 + floor(power(random(), 1.6) * ${CJK.length})::int], '') from generate_series(1, 3 + (s % 5) + (random() * 6)::int))
            else (select string_agg((${vocab})[1 + floor(power(random(), 2.2) * ${VOCAB.length})::int], ' ') from generate_series(1, 4 + (s % 3) + (random() * 10)::int))
              || case when random() < 0.0002 then ' ' || (array[${RARE.map(q).join(',')}])[1 + floor(random() * ${RARE.length})::int] else '' end
          end),
        null, c.created_at + s * interval '20 seconds'
      from conversations c, generate_series(1, ${perConversation}) s`);
    const loadSeconds = round((Date.now() - t0) / 1000);
    const { rows: [count] } = await pool.query<{ n: string }>('select count(*) as n from messages');
    log(`search: generated ${count.n} messages in ${conversations} conversations in ${loadSeconds} s`);
    const t1 = Date.now();
    await pool.query(`create index messages_search_tsv_idx on messages using gin (search_tsv)`);
    const tsvSeconds = round((Date.now() - t1) / 1000);
    const t2 = Date.now();
    await pool.query(`create index messages_search_trgm_idx on messages using gin (search_text gin_trgm_ops)`);
    const trgmSeconds = round((Date.now() - t2) / 1000);
    await pool.query('vacuum analyze');
    const { rows: [size] } = await pool.query<{ tsv: string; trgm: string; heap: string }>(`select pg_size_pretty(pg_relation_size('messages_search_tsv_idx')) as tsv,
      pg_size_pretty(pg_relation_size('messages_search_trgm_idx')) as trgm, pg_size_pretty(pg_table_size('messages')) as heap`);
    log(`search: indexes built: full-text ${tsvSeconds} s (${size.tsv}), trigram ${trgmSeconds} s (${size.trgm}); messages ${size.heap}`);

    const agentId = (i: number) => `00000000-0000-4000-8000-${String(1 + (i % agents)).padStart(12, '0')}`;
    const byKind: Record<string, ReturnType<typeof summarize> & { found: number; matched: string }> = {};
    const all: number[] = [];
    let n = 0;
    for (const [kind, terms] of Object.entries(SEARCHES)) {
      const samples: number[] = [];
      let found = 0;
      let matched = '';
      for (let i = 0; i < opts.samples + 3; i++) {
        const term = terms[i % terms.length];
        const started = performance.now();
        const page = await historyPage(database.db, { agentId: agentId(n++), filters: { q: term }, cursor: null, limit: 20 });
        const ms = performance.now() - started;
        if (i < 3) continue; // warm-up
        samples.push(ms);
        found += page.items.length;
        matched = page.matched ?? '';
      }
      all.push(...samples);
      byKind[kind] = { ...summarize(samples), found: round(found / samples.length), matched };
      log(`search: ${kind.padEnd(8)} ${JSON.stringify(byKind[kind])}`);
    }
    const overall = summarize(all);
    return {
      messages: Number(count.n), conversations, loadSeconds, tsvIndexSeconds: tsvSeconds, trigramIndexSeconds: trgmSeconds, sizes: size,
      byKind, p95: overall.p95, p50: overall.p50,
    };
  } finally {
    await database.pool.end();
    if (opts.keep) log(`search: kept database ${name}`);
    else await admin.query(`drop database if exists ${name}`).catch(() => {});
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (flag: string, dflt: string) => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1] : dflt; };
  const started = Date.now();
  runSearchBench({
    adminUrl: arg('--url', 'postgres://postgres:parley@127.0.0.1:55432/postgres'), messages: Number(arg('--messages', '1000000')),
    samples: Number(arg('--samples', '40')), keep: process.argv.includes('--keep'), log: (l) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`),
  }).then((r) => console.log(JSON.stringify({ ...r, totalSeconds: round((Date.now() - started) / 1000) }, null, 2)))
    .catch((err) => { console.error(err); process.exitCode = 1; });
}
