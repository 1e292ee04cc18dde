/**
 * Bench phase `reports` (issue 21): reports, search, export and the wallboard on the generated desk of
 * `npm run seed:bulk` (scripts/lib/bulk-seed.ts): 1,000,000 conversations and ~10,000,000 messages over
 * 90 days in `npm run bench`, fewer with `--quick`.
 *
 * The generated data lives in a PostgreSQL cluster of its own under bench/tmp/reports-data/<key>, kept
 * between runs (generating the full set takes many minutes); the key names the size, the seed and a hash of
 * the migrations and the generator, so a schema change generates again. The stack's API is restarted on
 * that database for the phase and back on the stack's afterwards.
 *
 * Measured (each beside its target; an operation not in the API yet is reported as "not built"):
 *   - every `GET /api/reports/*` operation of the OpenAPI document (so later reports are measured without
 *     editing this file) for the last 30 days of the data: p95 of `samples` sequential requests as an admin
 *     (the target applies to the reports; their `.csv` variants are reported beside it);
 *   - search (`GET /api/search/conversations`): a common word, a rare word, Chinese, with filters: p95;
 *   - CSV export of every conversation of the 90 days (`GET /api/search/conversations.csv`: 1,000,000 rows at
 *     full size): the API process's RSS growth while streaming it;
 *   - the wallboard: a desk projection write (what activities/desk.ts writes on an agent's status change) →
 *     the admin socket's `wallboard` event.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { connectDatabase } from '../db/client.js';
import { projectDesk } from '../activities/desk.js';
import { BULK_DEFAULTS } from '../scripts/lib/bulk-plan.js';
import { generateBulkData, MARKER_KEY, type BulkMarker } from '../scripts/lib/bulk-seed.js';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';
import { freePort } from '../scripts/lib/ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../scripts/lib/postgres.js';
import { treeRssMb } from '../scripts/lib/process-stack.js';
import { connect, staffLogin } from './lib/parley-client.js';
import { round, sleep, summarize } from './lib/stats.js';

export const REPORT_TARGETS = { reportP95Ms: 300, searchP95Ms: 200, wallboardMs: 1000, exportRssMb: 100 } as const;
/** The reports issue 21 asks for: listed as "not built" while the API does not have them. */
const EXPECTED_REPORTS = ['volume', 'times', 'quality', 'agents', 'transfers', 'offers'];
const SEARCH_PATH = '/api/search/conversations';

export interface ReportsPhaseOptions {
  conversations: number;
  samples: number;
  wallboardSamples: number;
  seed?: number;
  /** Where generated clusters are kept between runs. */
  cacheDir: string;
  /** Restarts the stack's API on `url` (null: back on the stack's database); resolves with the API's base URL. */
  useDatabase: (url: string | null) => Promise<string>;
  /** The API process's pid (for its RSS). */
  apiPid: () => number | null;
  log: (line: string) => void;
}

type Stats = ReturnType<typeof summarize>;
export type Measured = { status: 'ok'; stats: Stats; httpStatus: number; bytes: number } | { status: 'not built' } | { status: 'failed'; error: string };

/** A hash of what decides the generated data: the migrations and the generator's code. */
function dataKey(conversations: number, seed: number): string {
  const h = createHash('sha256');
  const migrations = path.join(PROJECT_ROOT, 'db', 'migrations');
  for (const f of fs.readdirSync(migrations).filter((x) => x.endsWith('.sql')).sort()) h.update(f).update(fs.readFileSync(path.join(migrations, f)));
  for (const f of ['scripts/lib/bulk-seed.ts', 'scripts/lib/bulk-plan.ts']) h.update(fs.readFileSync(path.join(PROJECT_ROOT, f)));
  return `c${conversations}-s${seed}-${h.digest('hex').slice(0, 12)}`;
}

/** Starts the cached cluster of this size, generating it first when it is missing or stale. */
async function cachedDatabase(o: ReportsPhaseOptions): Promise<{ pg: EmbeddedPostgresHandle; marker: BulkMarker; generated: boolean; dir: string }> {
  const seed = o.seed ?? BULK_DEFAULTS.seed;
  const key = dataKey(o.conversations, seed);
  const dir = path.join(o.cacheDir, key);
  const ready = path.join(o.cacheDir, `${key}.json`);
  fs.mkdirSync(o.cacheDir, { recursive: true });
  // World-traversable: as root, PostgreSQL runs as `postgres` and must reach its data dir.
  for (let d = o.cacheDir; d !== path.dirname(d) && d.startsWith(PROJECT_ROOT); d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o711);
  const generated = !fs.existsSync(ready);
  if (generated) {
    for (const old of fs.readdirSync(o.cacheDir)) {
      if (old.startsWith(`c${o.conversations}-`)) fs.rmSync(path.join(o.cacheDir, old), { recursive: true, force: true }); // a stale set of this size
    }
  }
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'parley', durable: false, logFile: path.join(o.cacheDir, `${key}.log`) });
  try {
    if (generated) {
      o.log(`reports: generating ${o.conversations} conversations into ${path.relative(PROJECT_ROOT, dir)} (kept for the next runs)...`);
      const r = await generateBulkData(pg.url, { ...BULK_DEFAULTS, conversations: o.conversations, seed }, (l) => o.log(`reports: seed:bulk ${l}`));
      fs.writeFileSync(ready, `${JSON.stringify(r, null, 2)}\n`);
    }
    const database = connectDatabase(pg.url, 1);
    try {
      const { rows } = await database.pool.query<{ value: BulkMarker }>('select value from desk_settings where key = $1', [MARKER_KEY]);
      if (!rows[0]) throw new Error(`${dir} has no generated set (delete it to generate again)`);
      return { pg, marker: rows[0].value, generated, dir };
    } finally {
      await database.close();
    }
  } catch (err) {
    await pg.stop();
    throw err;
  }
}

/** Paths of the OpenAPI document's GET operations under `prefix` that take no path parameter. */
async function getOperations(apiUrl: string, prefix: string): Promise<string[]> {
  const res = await fetch(`${apiUrl}/api/openapi.json`);
  if (!res.ok) throw new Error(`GET /api/openapi.json → HTTP ${res.status}`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).filter(([p, ops]) => p.startsWith(prefix) && !p.includes('{') && ops.get).map(([p]) => p).sort();
}

async function timeGets(apiUrl: string, token: string, url: string, samples: number): Promise<Measured> {
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(`${apiUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    return { ms: performance.now() - t0, status: res.status, bytes: body.byteLength, text: res.ok ? '' : Buffer.from(body).toString('utf8').slice(0, 200) };
  };
  try {
    const warm = await once();
    if (warm.status >= 400) return { status: 'failed', error: `HTTP ${warm.status} ${warm.text}` };
    await once();
    const ms: number[] = [];
    let last = warm;
    for (let i = 0; i < samples; i++) ms.push((last = await once()).ms);
    return { status: 'ok', stats: summarize(ms), httpStatus: last.status, bytes: last.bytes };
  } catch (err) {
    return { status: 'failed', error: err instanceof Error ? err.message : String(err) };
  }
}

/** Streams `url` to nowhere, sampling the API's RSS every 50 ms; rows = lines after the header. */
async function exportRss(apiUrl: string, token: string, url: string, pid: number | null) {
  await sleep(1000);
  const before = treeRssMb(pid);
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, treeRssMb(pid)); }, 50);
  const t0 = performance.now();
  let rows = -1;
  let bytes = 0;
  let status: number;
  try {
    const res = await fetch(`${apiUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
    status = res.status;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) rows++;
    }
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    httpStatus: status, rows: Math.max(0, rows), mb: round(bytes / 2 ** 20, 1), seconds: round(seconds, 1),
    rssBeforeMb: round(before), rssPeakMb: round(peak), rssGrowthMb: round(peak - before),
  };
}

export async function reportsPhase(o: ReportsPhaseOptions) {
  const { log } = o;
  const t0 = Date.now();
  const data = await cachedDatabase(o);
  const prepareSeconds = round((Date.now() - t0) / 1000);
  log(`reports: data ${data.generated ? 'generated' : 'reused'} in ${prepareSeconds} s: ${data.marker.conversations} conversations, ${data.marker.messages} messages (${data.marker.generatedAt})`);
  const results: Record<string, number | null> = {};
  const details: Record<string, unknown> = { data: { ...data.marker, generatedNow: data.generated, prepareSeconds } };
  try {
    const apiUrl = await o.useDatabase(data.pg.url);
    const admin = await staffLogin(apiUrl, 'bulk-admin@bulk.parley.local', BULK_DEFAULTS.password);
    // The last 30 days of the data (it may be older than today when it came from the cache).
    const end = new Date(data.marker.generatedAt);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const to = day(end);
    const from = day(new Date(end.getTime() - 29 * 86_400_000));
    const all = day(new Date(end.getTime() - data.marker.days * 86_400_000));
    const range = `from=${from}&to=${to}&tz=UTC`;

    // Reports: every GET /api/reports/* in the OpenAPI document.
    const reportPaths = await getOperations(apiUrl, '/api/reports/');
    const reports: Record<string, Measured> = {};
    for (const p of reportPaths) {
      reports[p] = await timeGets(apiUrl, admin.token, `${p}?${range}`, o.samples);
      log(`reports: ${p} ${JSON.stringify(reports[p])}`);
    }
    for (const name of EXPECTED_REPORTS) if (!reportPaths.includes(`/api/reports/${name}`)) reports[`/api/reports/${name}`] = { status: 'not built' };
    // The target is the reports' (JSON); their CSV variants are listed beside, without a target (facts.csv is an export of rows).
    const p95s = (csv: boolean) => Object.entries(reports).flatMap(([p, r]) => (r.status === 'ok' && p.endsWith('.csv') === csv ? [r.stats.p95] : []));
    results.reports_p95_ms_max = p95s(false).length ? Math.max(...p95s(false)) : null;
    results.report_csv_p95_ms_max = p95s(true).length ? Math.max(...p95s(true)) : null;
    const slowest = Object.entries(reports).filter(([p, r]) => r.status === 'ok' && !p.endsWith('.csv') && r.stats.p95 === results.reports_p95_ms_max);
    details.slowestReport = slowest[0]?.[0] ?? null;
    details.reports = reports;

    // Search: a word, a rare word, Chinese, and with filters.
    const searchBuilt = (await getOperations(apiUrl, SEARCH_PATH)).includes(SEARCH_PATH);
    const searches: Record<string, Measured> = {};
    const queries = {
      word: `q=refund&${range}`, rare: `q=kumquat&from=${all}&to=${to}&tz=UTC`, chinese: `q=${encodeURIComponent('退款')}&${range}`,
      filtered: `q=delivery&${range}&channel=app&teamId=bulk-support`, filtersOnly: `${range}&teamId=bulk-billing&rating=1`,
    };
    for (const [name, query] of Object.entries(queries)) {
      searches[name] = searchBuilt ? await timeGets(apiUrl, admin.token, `${SEARCH_PATH}?${query}`, o.samples) : { status: 'not built' };
      if (searchBuilt) log(`reports: search ${name} ${JSON.stringify(searches[name])}`);
    }
    const searchP95 = Object.values(searches).flatMap((r) => (r.status === 'ok' ? [r.stats.p95] : []));
    results.report_search_p95_ms = searchP95.length ? Math.max(...searchP95) : null;
    details.search = searchBuilt ? searches : { status: 'not built' };

    // Export: every conversation of the data's days as CSV, streamed.
    const csvBuilt = (await getOperations(apiUrl, `${SEARCH_PATH}.csv`)).includes(`${SEARCH_PATH}.csv`);
    if (csvBuilt) {
      const r = await exportRss(apiUrl, admin.token, `${SEARCH_PATH}.csv?from=${all}&to=${to}&tz=UTC`, o.apiPid());
      results.export_rss_growth_mb = r.httpStatus === 200 ? r.rssGrowthMb : null;
      results.export_rows = r.rows;
      details.export = r;
      log(`reports: export ${JSON.stringify(r)}`);
    } else {
      details.export = { status: 'not built' };
    }

    // Wallboard: an agent's status change as the desk's projection writes it → the admin socket's update.
    const wallboardBuilt = (await getOperations(apiUrl, '/api/wallboard')).includes('/api/wallboard');
    if (wallboardBuilt) {
      const r = await wallboardLatency(apiUrl, admin.token, data.pg.url, o.wallboardSamples);
      results.wallboard_update_p95_ms = r.stats?.p95 ?? null;
      details.wallboard = r;
      log(`reports: wallboard ${JSON.stringify(r)}`);
    } else {
      details.wallboard = { status: 'not built' };
    }
  } finally {
    await o.useDatabase(null).catch((err) => log(`reports: restarting the API on the stack's database failed: ${String(err)}`));
    await data.pg.stop();
  }
  return { results, details };
}

/** Toggles a generated agent between online and away through the desk projection and waits for each `wallboard` event. */
async function wallboardLatency(apiUrl: string, token: string, databaseUrl: string, samples: number) {
  const database = connectDatabase(databaseUrl, 1);
  const socket = await connect(apiUrl, { token });
  try {
    const { rows: [agent] } = await database.pool.query<{ id: string }>(`select id from users where email = 'bulk-agent-000@bulk.parley.local'`);
    const waits: number[] = [];
    let misses = 0;
    let next: ((at: number) => void) | null = null;
    (socket as unknown as { on(e: string, f: (p: unknown) => void): void }).on('wallboard', () => next?.(performance.now()));
    for (let i = 0; i < samples + 1; i++) {
      await sleep(1200); // past the once-a-second coalescing of the previous one
      const got = new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 5000);
        next = (at) => { clearTimeout(timer); resolve(at); };
      });
      const t0 = performance.now();
      await projectDesk(database.db, {
        deskId: 'default', revision: Date.now(),
        agents: [{ agentId: agent.id, status: i % 2 === 0 ? 'away' : 'online', reason: null, maxConversations: 5, conversationIds: [], offeredIds: [], disconnected: false }],
        queue: [],
      });
      const at = await got;
      next = null;
      if (i === 0) continue; // warm-up
      if (at === null) misses++;
      else waits.push(at - t0);
    }
    return { stats: waits.length ? summarize(waits) : null, misses, samples };
  } finally {
    socket.close();
    await database.close();
  }
}
