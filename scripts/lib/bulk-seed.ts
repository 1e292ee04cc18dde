/**
 * Writes the bulk data set (scripts/lib/bulk-plan.ts) into Parley's own tables with set-based SQL: the
 * rows the product's activities write (conversations and messages as projection.ts / workflow-writes.ts /
 * queries.ts write them, desk_queue as service-times.ts and desk.ts, transfers and the status log as
 * routing.ts, ratings as ratings.ts, left messages, tags), so reports and search read it as real data.
 *
 * Every row's random draws are hashes of its number and the seed (`hashint8extended`), so a run is
 * repeatable whatever order PostgreSQL evaluates rows in. Secondary indexes of the big tables are dropped
 * while loading and built again after (their definitions are kept in desk_settings until then).
 */
import pg from 'pg';
import { hashPassword } from '../../api/auth/passwords.js';
import { seedIfEmpty } from '../../api/seed.js';
import { connectDatabase, type Db } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { DEFAULT_FLOW } from '../../domain/flow/default-flow.js';
import {
  arrivalSlots, buildPhrases, CHANNELS, CLOSED_BY_SERVED, COMMENTS, cumulative, FIRST_NAMES, LAST_NAMES, OUTCOME_SHARES, outOfHours,
  RATING, TAGS, TEAM_SHARES, TEAMS, TIMES, TOPICS, TRANSFER_OUTCOMES, TRANSFER_SHARE, type BulkOptions,
} from './bulk-plan.js';

export const MARKER_KEY = 'bulk-seed';
const PENDING_KEY = 'bulk-seed-pending';
/** Tables whose secondary (non-constraint) indexes are rebuilt after loading. */
const LOADED_TABLES = ['messages', 'conversations', 'desk_queue', 'ratings', 'transfers', 'conversation_tags', 'left_messages', 'agent_status_log', 'visitors',
  'report_facts', 'report_offers'];

export interface BulkMarker {
  seed: number; conversations: number; visitors: number; agents: number; days: number; tz: string;
  messages: number; generatedAt: string; seconds: number;
}

export interface BulkResult extends BulkMarker { databaseBytes: number; reportFacts: 'filled' | 'not built'; steps: Record<string, number> }

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: readonly string[]) => `array[${xs.map(lit).join(',')}]::text[]`;
/** A valid version-4 UUID from a hash of `key` (a SQL text expression). */
const uuidOf = (key: string) => `overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`;

/** Fills `db` (migrated and seeded first when empty) with the bulk set. */
export async function generateBulkData(databaseUrl: string, o: BulkOptions, log: (line: string) => void): Promise<BulkResult> {
  const started = Date.now();
  const database = connectDatabase(databaseUrl, 2);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const steps: Record<string, number> = {};
  const step = async (name: string, sql: string) => {
    const t0 = Date.now();
    const r = await client.query(sql);
    steps[name] = (Date.now() - t0) / 1000;
    log(`${name}: ${r.rowCount ?? 0} rows in ${steps[name].toFixed(1)} s`);
    return r;
  };
  try {
    await runMigrations(database.db);
    await seedIfEmpty(database.db, o.password);
    await client.query(`set synchronous_commit = off; set work_mem = '256MB'; set maintenance_work_mem = '512MB'; set max_parallel_maintenance_workers = 2`);

    const previous = await readSetting<BulkMarker>(client, MARKER_KEY);
    const pending = await readSetting<{ indexes: IndexDef[]; marker: BulkMarker }>(client, PENDING_KEY);
    if ((previous || pending) && !o.replace) {
      throw new Error(pending
        ? 'a previous `seed:bulk` did not finish (its rows are partly there); run again with --replace to clean it up and start over'
        : `this database already has a generated set (${previous!.conversations} conversations, seed ${previous!.seed}, ${previous!.generatedAt}); `
          + 'run with --replace to delete it and generate again');
    }
    if (pending) await restoreIndexes(client, pending.indexes, log);
    const old = previous ?? pending?.marker;
    if (old) await cleanBulkSet(client, old, step);

    const end = new Date();
    const slots = arrivalSlots(o, end);
    const visitors = Math.max(1, Math.ceil(o.conversations * 0.65));
    const marker: BulkMarker = {
      seed: o.seed, conversations: o.conversations, visitors, agents: o.agents, days: o.days, tz: o.tz, messages: 0, generatedAt: end.toISOString(), seconds: 0,
    };
    const indexes = await secondaryIndexes(client);
    await writeSetting(client, PENDING_KEY, { indexes, marker });
    for (const def of indexes) await client.query(`drop index if exists ${def.name}`);
    log(`dropped ${indexes.length} secondary indexes for loading`);

    // Skips the foreign-key triggers while loading (every reference is built to exist); superusers only.
    // Not while cleaning: the cascades (team_members, agent_status_log) are triggers too.
    await client.query(`set session_replication_role = replica`).catch(() => log('not a superuser: foreign keys are checked row by row (slower)'));
    const flowIds = await referenceData(client, o);
    await loadRows(client, o, slots, visitors, flowIds, end, step);

    const { rows: [counts] } = await client.query<{ messages: string }>(`select count(*) as messages from messages m join conversations c on c.id = m.conversation_id where c.workflow_id like 'bulk-%'`);
    marker.messages = Number(counts.messages);
    // Before the indexes: the backfill reads whole tables, and report_facts' own indexes are built once after.
    let reportFacts: BulkResult['reportFacts'] = 'not built';
    const backfill = await findBackfill();
    if (backfill) {
      const t0 = Date.now();
      await backfill(database.db);
      steps.reportFacts = (Date.now() - t0) / 1000;
      reportFacts = 'filled';
      log(`report facts filled (backfillReportFacts) in ${steps.reportFacts.toFixed(1)} s`);
    } else {
      log('reporting projection not built yet (db/reports backfillReportFacts missing): skipped; reports will read nothing until it is merged and run');
    }
    await restoreIndexes(client, indexes, log, steps);
    await step('analyze', 'analyze');
    marker.seconds = Math.round((Date.now() - started) / 1000);
    await writeSetting(client, MARKER_KEY, marker);
    await client.query(`delete from desk_settings where key = '${PENDING_KEY}'`);
    const { rows: [size] } = await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
    return { ...marker, databaseBytes: Number(size.bytes), reportFacts, steps };
  } finally {
    await client.end().catch(() => {});
    await database.close();
  }
}

/** The metrics slice's `backfillReportFacts(db)` (db/reports/), when it is there. */
async function findBackfill(): Promise<((db: Db) => Promise<unknown>) | null> {
  for (const candidate of ['../../db/reports/backfill.js', '../../db/reports/facts.js', '../../db/reports/index.js', '../../db/reports/projection.js']) {
    try {
      const mod = (await import(candidate)) as { backfillReportFacts?: (db: Db) => Promise<unknown> };
      if (typeof mod.backfillReportFacts === 'function') return mod.backfillReportFacts;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  return null;
}

export async function readSetting<T>(client: pg.Client, key: string): Promise<T | null> {
  const { rows } = await client.query<{ value: T }>('select value from desk_settings where key = $1', [key]);
  return rows[0]?.value ?? null;
}

async function writeSetting(client: pg.Client, key: string, value: unknown) {
  await client.query(`insert into desk_settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [key, JSON.stringify(value)]);
}

interface IndexDef { name: string; def: string }

async function secondaryIndexes(client: pg.Client): Promise<IndexDef[]> {
  const { rows } = await client.query<IndexDef>(`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
      from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
     where n.nspname = 'public' and t.relname = any($1)
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`, [LOADED_TABLES]);
  return rows;
}

async function restoreIndexes(client: pg.Client, indexes: IndexDef[], log: (l: string) => void, steps?: Record<string, number>) {
  const t0 = Date.now();
  for (const x of indexes) {
    await client.query(x.def.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '));
  }
  if (steps) steps.indexes = (Date.now() - t0) / 1000;
  log(`built ${indexes.length} secondary indexes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Deletes a generated set (rows of `bulk-` conversations, the bulk staff, their visitors). */
async function cleanBulkSet(client: pg.Client, m: BulkMarker, step: (name: string, sql: string) => Promise<unknown>) {
  const ids = `(select id from conversations where workflow_id like 'bulk-%')`;
  for (const table of ['conversation_tags', 'ratings', 'transfers', 'left_messages', 'desk_queue', 'messages', 'conversation_reads', 'conversation_origins']) {
    await step(`clean ${table}`, `delete from ${table} where conversation_id in ${ids}`);
  }
  await step('clean conversations', `delete from conversations where workflow_id like 'bulk-%'`);
  await step('clean visitors', `delete from visitors v where v.id in (select ${uuidOf(`'bulk-v-${m.seed}-' || j`)} from generate_series(0, ${m.visitors - 1}) j)
    and not exists (select 1 from conversations c where c.visitor_id = v.id)`);
  await step('clean presence', `delete from agent_presence where agent_id in (select id from users where email like '%@bulk.parley.local')`);
  await step('clean staff', `delete from users where email like '%@bulk.parley.local'`);
  await client.query(`delete from desk_settings where key = '${MARKER_KEY}'`);
}

/** Teams, staff, flows per channel, tags; returns the flow id of each channel. */
async function referenceData(client: pg.Client, o: BulkOptions): Promise<Record<string, string>> {
  const passwordHash = await hashPassword(o.password);
  await client.query(`insert into teams (id, name) select * from unnest($1::text[], $2::text[]) on conflict do nothing`,
    [TEAMS.map((t) => t.id), TEAMS.map((t) => t.name)]);
  // Agent a: team a % T, shift (a / T) % 2 (early/late), k = a / 2T its place in that team's shift.
  await client.query(`
    insert into users (id, email, nickname, role, password_hash, max_conversations)
    select ${uuidOf(`'bulk-a-' || a`)}, 'bulk-agent-' || lpad(a::text, 3, '0') || '@bulk.parley.local',
           (${arr(FIRST_NAMES)})[1 + a % ${FIRST_NAMES.length}] || ' ' || (${arr(LAST_NAMES)})[1 + (a / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}] || ' ' || a,
           'agent', $1, 5
      from generate_series(0, ${o.agents - 1}) a
    union all select ${uuidOf(`'bulk-admin'`)}, 'bulk-admin@bulk.parley.local', 'Bulk Admin', 'admin', $1, 3`, [passwordHash]);
  await client.query(`
    insert into team_members (team_id, user_id)
    select ($1::text[])[1 + a % ${TEAMS.length}], ${uuidOf(`'bulk-a-' || a`)} from generate_series(0, ${o.agents - 1}) a
    union -- one agent in five also helps the next team
    select ($1::text[])[1 + (a + 1) % ${TEAMS.length}], ${uuidOf(`'bulk-a-' || a`)} from generate_series(0, ${o.agents - 1}) a where a % 5 = 0`,
  [TEAMS.map((t) => t.id)]);
  for (const { channel } of CHANNELS) {
    const id = channel === 'web' ? 'default' : `bulk-${channel}`;
    await client.query(`insert into flows (id, name, channel, draft) values ($1, $2, $3, $4) on conflict do nothing`,
      [id, `${channel} flow`, channel, JSON.stringify(DEFAULT_FLOW)]);
  }
  await client.query(`insert into flow_versions (flow_id, version, definition) select id, 1, draft from flows where channel = any($1) on conflict do nothing`,
    [CHANNELS.map((c) => c.channel)]);
  const colours = ['#2f6fde', '#e0663a', '#2e9e5b', '#8e44ad', '#c0392b', '#16a085', '#d4a017', '#7f8c8d'];
  await client.query(`insert into tags (name, colour) select n, ($2::text[])[1 + (o - 1) % ${colours.length}] from unnest($1::text[]) with ordinality as t(n, o) on conflict do nothing`,
    [[...TAGS], colours]);
  const { rows } = await client.query<{ id: string; channel: string }>('select id, channel from flows where channel = any($1)', [CHANNELS.map((c) => c.channel)]);
  return Object.fromEntries(rows.map((r) => [r.channel, r.id]));
}

async function loadRows(client: pg.Client, o: BulkOptions, slots: ReturnType<typeof arrivalSlots>, visitors: number,
    flowIds: Record<string, string>, end: Date, step: (name: string, sql: string) => Promise<unknown>) {
  const seed = o.seed;
  /** A uniform draw in [0, 1) per (row key, salt): the same for a seed whatever the plan. */
  const R = (key: string, salt: number) => `(((hashint8extended((${key})::int8, ${seed * 1009 + salt}) >> 11) & 9007199254740991)::float8 / 9007199254740992.0)`;
  const logNormal = (t: { median: number; sigma: number; cap: number }, key: string, salt: number, medianExpr = String(t.median)) =>
    `least(${t.cap}, (${medianExpr}) * exp(${t.sigma} * sqrt(-2 * ln(greatest(${R(key, salt)}, 1e-12))) * cos(2 * pi() * ${R(key, salt + 1)})))`;
  const pickCase = (u: string, values: readonly string[], shares: readonly number[]) => {
    const bounds = cumulative(shares);
    return `case ${values.slice(0, -1).map((v, i) => `when ${u} < ${bounds[i]} then ${v}`).join(' ')} else ${values[values.length - 1]} end`;
  };
  const T = TEAMS.length;
  const perShift = Math.max(1, Math.floor(o.agents / (2 * T)));
  const agentUuid = (n: string) => uuidOf(`'bulk-a-' || (${n})`);

  // Slots: the hours, how many conversations start in each, their local hour, and the first row number.
  let first = 0;
  const firsts = slots.map((s) => { const f = first; first += s.count; return f; });
  await client.query('drop table if exists bulk_slot, bulk_conv, bulk_phrase');
  await client.query(`create unlogged table bulk_slot as
    select * from unnest($1::int8[], $2::int[], $3::timestamptz[], $4::float8[], $5::int[], $6::bool[]) as s(first_i, n, start_at, span_s, local_hour, ooh)`,
  [firsts, slots.map((s) => s.count), slots.map((s) => s.start.toISOString()),
    slots.map((s) => Math.max(1, Math.min(3600, (end.getTime() - s.start.getTime()) / 1000 - 1))), slots.map((s) => s.localHour),
    slots.map((s) => outOfHours(s.localHour, s.localDow))]);
  const phrases = buildPhrases(seed);
  const perTopic = phrases.filter((p) => p.topic === 0 && p.sender === 'visitor').length;
  await client.query(`create unlogged table bulk_phrase as select * from unnest($1::int[], $2::text[], $3::int[], $4::text[]) as p(topic, sender, k, text)`,
    [phrases.map((p) => p.topic), phrases.map((p) => p.sender), phrases.map((p) => p.k), phrases.map((p) => p.text)]);
  await client.query('create index on bulk_phrase (topic, sender, k)');

  // Messages per conversation by outcome; served ones make up the rest of the average.
  const inH = slots.reduce((n, s) => n + (outOfHours(s.localHour, s.localDow) ? 0 : s.count), 0);
  const share = (k: keyof typeof OUTCOME_SHARES.inHours) =>
    (inH * OUTCOME_SHARES.inHours[k] + (o.conversations - inH) * OUTCOME_SHARES.outOfHours[k]) / o.conversations;
  const fixed = { bot: 5, abandoned: 4.5, leftMessage: 4 };
  const others = share('bot') * fixed.bot + share('abandoned') * fixed.abandoned + share('leftMessage') * fixed.leftMessage;
  const servedMean = Math.max(7, (o.messagesPerConversation - others) / share('served'));
  const outcomeCase = (u: string) => `case when s.ooh then ${pickCase(u, [`'bot'`, `'abandoned'`, `'left'`, `'served'`], Object.values(OUTCOME_SHARES.outOfHours))}
    else ${pickCase(u, [`'bot'`, `'abandoned'`, `'left'`, `'served'`], Object.values(OUTCOME_SHARES.inHours))} end`;
  const peakHours = `(s.local_hour between 9 and 11 or s.local_hour between 14 and 16)`;
  const flows = CHANNELS.map((c) => flowIds[c.channel]);

  // One row per conversation with everything drawn: the plan of its life.
  await step('plan conversations', `create unlogged table bulk_conv as
    select x.*,
      case when x.outcome = 'served' then x.enq_at + make_interval(secs => x.wait_s) end as assigned_at,
      case x.outcome
        when 'served' then x.enq_at + make_interval(secs => x.wait_s + x.frt_s + x.handle_s)
        when 'abandoned' then x.enq_at + make_interval(secs => x.wait_s)
        when 'left' then x.enq_at + make_interval(secs => 40 + x.wait_s * 0.3)
        else x.created_at + make_interval(secs => x.handle_s) end as ended_at_plan,
      case when x.outcome = 'served' then x.enq_at + make_interval(secs => x.wait_s + x.frt_s + x.handle_s * (0.3 + 0.4 * ${R('x.i', 41)})) end as transfer_at
    from (
      select s.first_i + k - 1 as i, s.ooh, s.local_hour,
        ${uuidOf(`'bulk-c-${seed}-' || (s.first_i + k - 1)`)} as id,
        floor(${R('s.first_i + k', 1)} * ${visitors})::int8 as visitor_n,
        s.start_at + make_interval(secs => ${R('s.first_i + k', 2)} * s.span_s) as created_at,
        s.start_at + make_interval(secs => ${R('s.first_i + k', 2)} * s.span_s + 20 + 40 * ${R('s.first_i + k', 3)}) as enq_at,
        ${pickCase(R('s.first_i + k', 4), CHANNELS.map((_, i) => String(i)), CHANNELS.map((c) => c.share))} as channel_ix,
        ${pickCase(R('s.first_i + k', 5), TEAMS.map((_, i) => String(i)), TEAM_SHARES)} as team_ix,
        floor(${R('s.first_i + k', 6)} * ${TOPICS.length})::int as topic,
        ${outcomeCase(R('s.first_i + k', 7))} as outcome,
        case when ${outcomeCase(R('s.first_i + k', 7))} = 'abandoned' then ${logNormal(TIMES.abandonAfter, 's.first_i + k', 8)}
             else ${logNormal(TIMES.queueWait, 's.first_i + k', 10, `${TIMES.queueWait.median} * case when ${peakHours} then ${TIMES.queueWait.peakFactor} else 1 end`)} end as wait_s,
        ${logNormal(TIMES.firstResponse, 's.first_i + k', 12)} as frt_s,
        case when ${outcomeCase(R('s.first_i + k', 7))} = 'bot' then ${logNormal(TIMES.botOnly, 's.first_i + k', 14)}
             else ${logNormal(TIMES.handle, 's.first_i + k', 16)} end as handle_s,
        ${R('s.first_i + k', 18)} < ${TRANSFER_SHARE} as transferred,
        ${pickCase(R('s.first_i + k', 19), TRANSFER_OUTCOMES.map((t) => lit(t.outcome)), TRANSFER_OUTCOMES.map((t) => t.share))} as transfer_outcome,
        ${pickCase(R('s.first_i + k', 20), CLOSED_BY_SERVED.map((c) => lit(c.by)), CLOSED_BY_SERVED.map((c) => c.share))} as served_closed_by,
        case when ${R('s.first_i + k', 21)} < ${RATING.responseRate}
             then ${pickCase(R('s.first_i + k', 22), RATING.scores.map((x) => String(x.score)), RATING.scores.map((x) => x.share))} end as score,
        ${R('s.first_i + k', 23)} < ${RATING.commentShare} as commented,
        -- the serving agent: of the conversation's team and the shift of its hour (weekends: the first two of each shift)
        (${pickCase(R('s.first_i + k', 5), TEAMS.map((_, i) => String(i)), TEAM_SHARES)})
          + ${T} * (case when s.local_hour < 13 and s.local_hour >= 5 then 0 else 1 end)
          + ${2 * T} * floor(${R('s.first_i + k', 24)} * case when extract(isodow from s.start_at at time zone ${lit(o.tz)}) >= 6 then ${Math.min(2, perShift)} else ${perShift} end)::int as agent_n,
        greatest(9, round(${servedMean} * (0.35 + 1.3 * ${R('s.first_i + k', 25)})))::int as served_msgs,
        4 + floor(${R('s.first_i + k', 26)} * 3)::int as short_msgs
      from bulk_slot s cross join lateral generate_series(1, s.n) k
    ) x`);
  await client.query(`alter table bulk_conv add column to_agent_n int, add column msg_n int, add column status text, add column agent_final int, add column closed_by text, add column ended_at timestamptz, add column tail_n int`);
  // The final state, as the projection would hold it now (conversations still running near `end` are open).
  await step('settle conversations', `update bulk_conv c set
      to_agent_n = case when c.transferred and c.outcome = 'served' then (c.agent_n + ${2 * T}) % ${Math.max(2 * T, perShift * 2 * T)} end,
      msg_n = case c.outcome when 'served' then c.served_msgs when 'left' then 4 else c.short_msgs end,
      status = case when c.ended_at_plan <= ${lit(end.toISOString())}::timestamptz then 'ended'
                    when c.outcome = 'served' and c.assigned_at <= ${lit(end.toISOString())}::timestamptz then 'assigned'
                    when c.outcome in ('served', 'abandoned') and c.enq_at <= ${lit(end.toISOString())}::timestamptz then 'queued'
                    else 'bot' end,
      ended_at = case when c.ended_at_plan <= ${lit(end.toISOString())}::timestamptz then c.ended_at_plan end`);
  await step('settle agents', `update bulk_conv c set
      agent_final = case when c.status in ('ended', 'assigned') and c.outcome = 'served'
                         then case when c.transferred and c.transfer_outcome = 'accepted' and c.transfer_at <= coalesce(c.ended_at, ${lit(end.toISOString())}::timestamptz) then c.to_agent_n else c.agent_n end end,
      closed_by = case when c.status <> 'ended' then null
                       when c.outcome = 'served' then c.served_closed_by
                       when c.outcome = 'abandoned' then 'visitor'
                       when c.outcome = 'left' then 'left-message'
                       else case when c.i % 3 = 0 then 'visitor' when c.i % 3 = 1 then 'flow' else 'timer' end end,
      score = case when c.status = 'ended' and c.outcome = 'served' and c.served_closed_by <> 'timer' then c.score end`);
  // The transcript's closing entries: the end, and for a served conversation not closed by the timer the
  // rating invitation (machine.ts: not after an automatic close), and the visitor's rating when given.
  await step('settle endings', `update bulk_conv c set tail_n = case when c.status <> 'ended' then 0
      when c.outcome = 'served' and c.closed_by <> 'timer' then 2 + (c.score is not null)::int else 1 end`);

  const visitorName = (n: string) => `(${arr(FIRST_NAMES)})[1 + (${n}) % ${FIRST_NAMES.length}] || ' ' || (${arr(LAST_NAMES)})[1 + ((${n}) / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}]`;
  await step('visitors', `insert into visitors (id, display_name, email, vip, created_at, attributes)
    select ${uuidOf(`'bulk-v-${seed}-' || j`)}, ${visitorName('j')},
           case when ${R('j', 30)} < 0.4 then 'visitor' || j || '@example.com' end, ${R('j', 31)} < 0.03,
           ${lit(end.toISOString())}::timestamptz - make_interval(days => ${o.days + 30}),
           case when ${R('j', 32)} < 0.3 then jsonb_build_object('plan', (array['basic','premium','family'])[1 + (j % 3)]) else '{}'::jsonb end
      from generate_series(0, ${visitors - 1}) j`);
  await step('conversations', `insert into conversations (id, workflow_id, visitor_id, channel, status, agent_id, team_id, flow_id, flow_version,
      queue_position, closed_by, rating, revision, created_at, updated_at, ended_at)
    select c.id, 'bulk-' || c.id, ${uuidOf(`'bulk-v-${seed}-' || c.visitor_n`)}, (${arr(CHANNELS.map((x) => x.channel))})[1 + c.channel_ix],
           c.status, case when c.agent_final is not null then ${agentUuid('c.agent_final')} end,
           case when c.outcome in ('served', 'abandoned') or c.status = 'queued' then (${arr(TEAMS.map((t) => t.id))})[1 + c.team_ix] end,
           (${arr(flows)})[1 + c.channel_ix], 1,
           case when c.status = 'queued' then 1 end, c.closed_by, c.score, 10, c.created_at, coalesce(c.ended_at, c.created_at), c.ended_at
      from bulk_conv c`);
  await step('desk queue', `insert into desk_queue (conversation_id, desk_id, team_id, vip, visitor_name, enqueued_at, seq, position, queued, revision)
    select c.id, 'default', (${arr(TEAMS.map((t) => t.id))})[1 + c.team_ix], false, ${visitorName('c.visitor_n')}, c.enq_at, (c.i % 2000000000)::int,
           case when c.status = 'queued' then row_number() over (partition by c.status = 'queued', c.team_ix order by c.enq_at)::int else 0 end,
           c.status = 'queued', 1
      from bulk_conv c where c.outcome in ('served', 'abandoned') or (c.outcome = 'left' and not c.ooh and c.i % 2 = 0)`);

  // Messages: bot menu, the visitor's question, then by outcome; each at its moment of the conversation's life.
  const comment = `case when c.score >= 4 then (${arr(COMMENTS.good)})[1 + c.i % ${COMMENTS.good.length}] else (${arr(COMMENTS.bad)})[1 + c.i % ${COMMENTS.bad.length}] end`;
  const agentName = (n: string) => `(${arr(FIRST_NAMES)})[1 + (${n}) % ${FIRST_NAMES.length}] || ' ' || (${arr(LAST_NAMES)})[1 + ((${n}) / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}] || ' ' || (${n})`;
  const menu = JSON.stringify({ kind: 'menu', nodeId: 'main-menu', header: 'Hello! How can we help you today?',
    items: [{ id: 'agent', content: 'Talk to an agent' }, { id: 'hours', content: 'Opening hours' }] });
  const text = (e: string) => `jsonb_build_object('kind', 'text', 'text', ${e})`;
  const phrase = (sender: 'visitor' | 'agent') => `(select p.text from bulk_phrase p where p.topic = c.topic and p.sender = '${sender}' and p.k = floor(${R('c.i * 256 + m.s', 50)} * ${perTopic})::int)`;
  const rare = `case when ${R('c.i * 256 + m.s', 52)} < 0.0002 then ' ' || (array['kumquat','zeppelin','quokka'])[1 + floor(${R('c.i * 256 + m.s', 53)} * 3)::int] else '' end`;
  const ratingResult = `jsonb_strip_nulls(jsonb_build_object('kind', 'rating-result', 'text', 'Thank you for your feedback!', 'score', c.score, 'scale', 5,
    'label', (${arr(RATING.labels)})[c.score], 'comment', case when c.commented then ${comment} end))`;
  await step('messages', `insert into messages (id, conversation_id, sender, sender_id, sender_name, body, client_id, created_at)
    select ${uuidOf(`'bulk-m-${seed}-' || c.i || '-' || m.s`)}, c.id, m.sender,
           case m.sender when 'visitor' then ${uuidOf(`'bulk-v-${seed}-' || c.visitor_n`)}::text when 'agent' then ${agentUuid('m.agent_n')}::text end,
           case m.sender when 'visitor' then ${visitorName('c.visitor_n')} when 'bot' then 'Parley'
                         when 'agent' then ${agentName('m.agent_n')} end,
           case m.role
             when 'menu' then ${lit(menu)}::jsonb
             when 'question' then ${text(`${phrase('visitor')} || ' order ' || (100000 + c.i % 900000) || ${rare}`)}
             when 'queue' then jsonb_build_object('kind', 'queue', 'text', 'You are number ' || (1 + c.i % 4) || ' in the queue.', 'position', 1 + c.i % 4, 'waitNo', 1)
             when 'connected' then jsonb_build_object('kind', 'notice', 'text', 'You are now chatting with ' || ${agentName('c.agent_n')} || '.')
             when 'leave' then jsonb_build_object('kind', 'leave-message', 'text', 'Nobody can answer right now. Leave us a message?',
                                                  'reason', case when c.ooh then 'outOfHours' else 'nobodyOnline' end)
             when 'bot' then ${text(`'Our opening hours are 8:00 to 20:00, Monday to Friday.'`)}
             when 'end' then jsonb_build_object('kind', 'end', 'text', 'The conversation has ended.', 'closedBy', c.closed_by)
             when 'invite' then jsonb_build_object('kind', 'rating-invite', 'text', 'How would you rate this conversation?',
                                                   'validUntil', to_char((c.ended_at + interval '1 day') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'scale', 5)
             when 'rating' then ${ratingResult}
             else ${text(`case m.sender when 'agent' then ${phrase('agent')} || ${rare} when 'bot' then 'Is there anything else I can help you with?'
                                    else ${phrase('visitor')} || ${rare} end`)} end,
           case when m.sender in ('bot', 'system') then 'wf:' || m.s else 'bulk:' || m.s end,
           m.at
      from bulk_conv c
      cross join lateral (
        select s, role, sender, at,
               case when c.transferred and c.transfer_outcome = 'accepted' and at > c.transfer_at then c.to_agent_n else c.agent_n end as agent_n
          from (select s, t.role,
                  case when t.role in ('menu', 'bot') then 'bot' when t.role = 'question' then 'visitor'
                       when t.role in ('queue', 'connected', 'leave', 'end', 'invite', 'rating') then 'system'
                       when c.outcome = 'served' then case when s % 2 = 1 then 'agent' else 'visitor' end
                       when c.outcome = 'bot' then case when s % 2 = 0 then 'visitor' else 'bot' end
                       else 'visitor' end as sender,
                  case when t.role = 'menu' then c.created_at when t.role = 'question' then c.created_at + interval '8 seconds'
                       when t.role in ('queue', 'leave') then c.enq_at
                       when t.role = 'connected' then c.assigned_at
                       when t.role in ('end', 'invite') then c.ended_at
                       when t.role = 'rating' then c.ended_at + make_interval(secs => 15 + 90 * ${R('c.i', 27)})
                       when c.outcome = 'served' then c.assigned_at + make_interval(secs => c.frt_s
                         + (s - 5)::float8 / greatest(1, c.msg_n - c.tail_n - 5) * c.handle_s)
                       else c.created_at + (c.ended_at_plan - c.created_at) * ((s - 1)::float8 / c.msg_n) end as at
                from generate_series(1, c.msg_n) s
                cross join lateral (select case
                  when s = 1 then 'menu' when s = 2 then 'question'
                  when s > c.msg_n - c.tail_n then (array['end', 'invite', 'rating'])[s - (c.msg_n - c.tail_n)]
                  when s = 3 then case c.outcome when 'bot' then 'bot' when 'left' then 'leave' else 'queue' end
                  when s = 4 and c.outcome = 'served' then 'connected'
                  else 'chat' end as role) t) r
      ) m
     where m.at <= ${lit(end.toISOString())}::timestamptz`);

  await step('transfers', `insert into transfers (id, conversation_id, from_agent_id, to_agent_id, to_team_id, outcome, created_at, resolved_at)
    select ${uuidOf(`'bulk-t-${seed}-' || c.i`)}::text, c.id, ${agentUuid('c.agent_n')}, ${agentUuid('c.to_agent_n')},
           case when c.i % 4 = 0 then (${arr(TEAMS.map((t) => t.id))})[1 + c.team_ix] end,
           c.transfer_outcome, c.transfer_at,
           c.transfer_at + make_interval(secs => case c.transfer_outcome when 'expired' then 60 else 4 + 40 * ${R('c.i', 60)} end)
      from bulk_conv c where c.transferred and c.outcome = 'served' and c.status in ('ended', 'assigned') and c.transfer_at <= ${lit(end.toISOString())}::timestamptz`);
  await step('ratings', `insert into ratings (conversation_id, score, comment, counted, request_id, created_at, scale, label, resolved)
    select c.id, c.score, case when c.commented then ${comment} end, true, 'bulk-' || c.id, c.ended_at + make_interval(secs => 15 + 90 * ${R('c.i', 27)}), 5,
           (${arr(RATING.labels)})[c.score],
           case when (${arr(CHANNELS.map((x) => x.channel))})[1 + c.channel_ix] = any(${arr(RATING.askResolvedChannels)}) then c.score >= 4 or c.i % 7 = 0 end
      from bulk_conv c where c.score is not null and c.ended_at + make_interval(secs => 15 + 90 * ${R('c.i', 27)}) <= ${lit(end.toISOString())}::timestamptz`);
  await step('left messages', `insert into left_messages (id, conversation_id, visitor_id, channel, reason, name, email, phone, message, created_at, handled_at, handled_by)
    select ${uuidOf(`'bulk-l-${seed}-' || c.i`)}, c.id, ${uuidOf(`'bulk-v-${seed}-' || c.visitor_n`)}, (${arr(CHANNELS.map((x) => x.channel))})[1 + c.channel_ix],
           case when c.ooh then 'outOfHours' when c.i % 2 = 0 then 'waitLimit' else 'nobodyOnline' end,
           ${visitorName('c.visitor_n')}, 'visitor' || c.visitor_n || '@example.com', null,
           (select p.text from bulk_phrase p where p.topic = c.topic and p.sender = 'visitor' and p.k = c.i % ${perTopic}),
           c.ended_at,
           case when ${R('c.i', 61)} < 0.8 and c.ended_at < ${lit(end.toISOString())}::timestamptz - interval '1 day' then c.ended_at + make_interval(hours => 1 + (c.i % 20)::int) end,
           case when ${R('c.i', 61)} < 0.8 and c.ended_at < ${lit(end.toISOString())}::timestamptz - interval '1 day' then ${agentUuid(`c.i % ${o.agents}`)} end
      from bulk_conv c where c.outcome = 'left' and c.status = 'ended'`);
  await step('tags', `insert into conversation_tags (conversation_id, tag_id, added_by, added_at)
    select c.id, t.id, ${agentUuid('c.agent_final')}, c.ended_at
      from bulk_conv c cross join generate_series(1, 2) g join tags t on lower(t.name) = lower(
        case g when 1 then (${arr(TOPICS.map((x) => x.tag))})[1 + c.topic]
             else case when c.score <= 2 then 'complaint' when c.i % 3 = 0 then 'follow-up' when c.i % 3 = 1 then 'bug' else 'vip' end end)
     where c.status = 'ended' and c.agent_final is not null
       and (g = 1 and ${R('c.i', 62)} < 0.45 or g = 2 and ${R('c.i', 63)} < 0.08)`);

  // The agents' days: signed in at the shift's start, lunch, a busy spell, a short break, signed out (what logAgentStatus writes).
  await step('agent status log', `insert into agent_status_log (user_id, status, reason, at)
    select ${agentUuid('a')}, e.status, e.reason,
           ((d + make_interval(hours => case when (a / ${T}) % 2 = 0 then 7 else 13 end)) at time zone ${lit(o.tz)})
             + make_interval(mins => e.minute + floor(${R('a * 100000 + extract(epoch from d)::int8 / 86400 * 10 + e.n', 70)} * 12)::int)
      from generate_series(0, ${o.agents - 1}) a
      cross join generate_series((${lit(end.toISOString())}::timestamptz at time zone ${lit(o.tz)})::date - ${o.days}, (${lit(end.toISOString())}::timestamptz at time zone ${lit(o.tz)})::date, interval '1 day') d
      cross join (values (1, 'online', null, 0), (2, 'away', 'Lunch', 225), (3, 'online', null, 265), (4, 'busy', 'Training', 330),
                         (5, 'online', null, 350), (6, 'away', 'Break', 400), (7, 'online', null, 412), (8, 'offline', null, 485)) e(n, status, reason, minute)
     where (extract(isodow from d) < 6 or (a / ${2 * T}) < 2)
       and ((d + make_interval(hours => case when (a / ${T}) % 2 = 0 then 7 else 13 end)) at time zone ${lit(o.tz)}) + make_interval(mins => e.minute + 12)
           <= ${lit(end.toISOString())}::timestamptz
     order by 4`);
  await step('agent presence', `insert into agent_presence (agent_id, desk_id, status, reason, max_conversations, conversation_ids, offered_ids, disconnected, revision)
    select u.id, 'default', coalesce(l.status, 'offline'), l.reason, 5,
           coalesce(held.ids, '[]'::jsonb), '[]'::jsonb, coalesce(l.status, 'offline') = 'offline', 1
      from users u
      left join (select ${agentUuid('agent_final')} as agent_id, jsonb_agg(id) as ids from bulk_conv where status = 'assigned' group by agent_final) held on held.agent_id = u.id
      left join lateral (select status, reason from agent_status_log where user_id = u.id order by at desc limit 1) l on true
     where u.email like 'bulk-agent-%@bulk.parley.local'
    on conflict (agent_id) do nothing`);
  // The reporting projection's offers (metrics slice, db/reports/facts.ts), when that table exists: the accepted offer of each
  // served conversation, and before it for some a missed or a rejected one (the desk then offered it to the next agent).
  const { rows: [offers] } = await client.query<{ t: string | null }>(`select to_regclass('public.report_offers')::text as t`);
  if (offers.t) {
    await step('report offers', `insert into report_offers (conversation_id, agent_id, offered_at, outcome, resolved_at)
      select c.id, ${agentUuid('c.agent_n')}, c.assigned_at - make_interval(secs => 2 + 15 * ${R('c.i', 80)}), 'accepted', c.assigned_at
        from bulk_conv c where c.outcome = 'served' and c.assigned_at <= ${lit(end.toISOString())}::timestamptz
      union all
      select c.id, ${agentUuid(`(c.agent_n + ${2 * T}) % ${Math.max(2 * T, perShift * 2 * T)}`)},
             c.assigned_at - make_interval(secs => 50 + 15 * ${R('c.i', 80)}), case when ${R('c.i', 81)} < 0.7 then 'missed' else 'rejected' end,
             c.assigned_at - make_interval(secs => 20 + 15 * ${R('c.i', 80)})
        from bulk_conv c where c.outcome = 'served' and c.assigned_at <= ${lit(end.toISOString())}::timestamptz and ${R('c.i', 82)} < 0.1
             and c.wait_s > 60`);
  }
  await client.query('drop table bulk_slot, bulk_conv, bulk_phrase');
}
