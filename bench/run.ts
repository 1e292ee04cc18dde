/**
 * `npm run bench` — Parley's performance benchmark (GitHub issue 5), against the real stack on
 * loopback: Temporal dev server, PostgreSQL, worker and API as separate processes
 * (scripts/lib/process-stack.ts), load from real Socket.IO clients in separate processes
 * (bench/clients/*.ts), baselines in the same run (bench/baselines/*).
 *
 *   npm run bench                          full run (~15 min on 2 cores) → bench/results/latest.json
 *   npm run bench -- --quick               smaller counts, smoke test → bench/results/quick.json
 *   npm run bench -- --only delivery,bot   a subset → bench/results/partial.json
 *   options: --apis N (API processes, default 1), --profile (V8 CPU profiles of api/worker into
 *            bench/results/profiles/), --keep (keep the stack's temp dir with all logs),
 *            --wait-quiet[=MIN] (first wait up to MIN minutes, default 30, until other processes
 *            leave the machine idle; every phase records their CPU as `foreign` either way)
 * Phases: delivery (+ relay), bot (+ temporal round trip), conversations (+ temporal floor),
 *         assign, starts, memory (starts + RSS + evicted replies; includes `starts`),
 *         workbench (Chromium: switching to a 2,000-message conversation; the apps' gzipped JS).
 *         sockets (API memory per agent socket with 10 open conversations; bench/agent-sockets.ts).
 *         canned (canned-response lookup with 5,000 entries: bench/phases/canned.ts).
 *         search (an agent's message search over 1,000,000 generated messages: bench/history-search.ts).
 *         availability (issue 19: the public availability read and the medians behind it: bench/phases/availability.ts).
 *         widget (issue 19: loader and frame sizes, host load delay, launcher and history under 4× CPU + fast 3G: bench/widget.ts).
 *         designer (issue 20: a 300-node flow opened, laid out and made interactive in Chromium; validation per edit: bench/designer.ts).
 *         versions (issue 20: comparing two versions of a 300-node flow, an import's file check, a roll-back: bench/phases/flow-versions.ts).
 *         scenarios (issue 20: a publish that runs 50 saved test scenarios vs none: bench/phases/scenarios.ts).
 *         reports (issue 21: every report for 30 days, search, a 1,000,000-row CSV export and the wallboard on the
 *                  generated desk of `npm run seed:bulk`, cached in bench/tmp/reports-data: bench/reports.ts).
 * See docs/performance.md for what each figure means and what bounds it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcessStack, type AppLaunch, type ProcessStack } from '../scripts/lib/process-stack.js';
import { findTemporalCli } from '../scripts/lib/temporal-cli.js';
import { startClient, type ClientProcess } from './lib/ipc.js';
import { CpuMeter, cpuMsPerOp, machineBusyPercent, startService, type Service } from './lib/proc.js';
import { LatencySampler, Probes } from './lib/probes.js';
import { agentEmails, prepareDatabase, type AgentGroup } from './lib/setup.js';
import { round, sleep, summarize } from './lib/stats.js';
import { runFilesPhase } from './files.js';
import { workbenchRenderPhase } from './workbench-render.js';
import { ensureWebBuild } from '../tests/browser/lib/web-build.js';
import { measureAgentSockets } from './agent-sockets.js';
import { cannedPhase } from './phases/canned.js';
import { transcriptPhase } from './phases/transcript.js';
import { runSearchBench } from './history-search.js';
import { availabilityPhase } from './phases/availability.js';
import { widgetPhase } from './widget.js';
import { designerPhase } from './designer.js';
import { flowVersionsPhase } from './phases/flow-versions.js';
import { scenariosPhase } from './phases/scenarios.js';
import { reportsPhase, REPORT_TARGETS } from './reports.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const PHASES = ['delivery', 'bot', 'conversations', 'assign', 'starts', 'memory', 'files', 'workbench', 'sockets', 'canned', 'search', 'availability', 'transcript', 'widget', 'designer', 'versions', 'scenarios', 'reports'] as const;
type Phase = (typeof PHASES)[number];
const ALIASES: Record<string, Phase> = {
  relay: 'delivery', temporal: 'bot', roundtrip: 'bot', floor: 'conversations', evicted: 'memory', rss: 'memory', open: 'memory',
  render: 'workbench', bundle: 'workbench',
};

// ---------------------------------------------------------------- arguments and parameters

function parseArgs(argv: string[]) {
  const out = { quick: false, only: null as Phase[] | null, apis: 1, profile: false, keep: false, waitQuietMin: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') out.quick = true;
    else if (a === '--profile') out.profile = true;
    else if (a === '--keep') out.keep = true;
    else if (a === '--apis') out.apis = Number(argv[++i]);
    else if (a === '--wait-quiet' || a.startsWith('--wait-quiet=')) out.waitQuietMin = a.includes('=') ? Number(a.split('=')[1]) : 30;
    else if (a === '--only' || a.startsWith('--only=')) {
      const list = (a.includes('=') ? a.split('=')[1] : argv[++i]) ?? '';
      out.only = [...new Set(list.split(',').filter(Boolean).map((p) => {
        const phase = (PHASES as readonly string[]).includes(p) ? (p as Phase) : ALIASES[p];
        if (!phase) throw new Error(`--only: unknown phase "${p}" (phases: ${PHASES.join(', ')})`);
        return phase;
      }))];
    } else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(out.apis) || out.apis < 1) throw new Error('--apis must be a positive integer');
  return out;
}

const args = parseArgs(process.argv.slice(2));
const Q = args.quick;
const P = {
  password: 'bench-password-1234',
  visitorProcesses: 2,
  delivery: {
    agents: Q ? 4 : 10, perAgent: Q ? 50 : 100, low: Q ? 50 : 100, high: Q ? 200 : 1000,
    intervalMs: 10_000, durationMs: Q ? 20_000 : 45_000, warmupMs: 5_000, openConcurrency: 5,
  },
  bot: { concurrency: 10, thinkMs: 250, durationMs: Q ? 10_000 : 30_000, warmupMs: 3_000 },
  conversations: { agents: 8, perAgent: 10, concurrency: 16, durationMs: Q ? 20_000 : 60_000, warmupMs: Q ? 5_000 : 10_000 },
  assign: { agents: 2, queue: Q ? 10 : 20, samples: Q ? 16 : 60, pauseMs: 1500, timeoutMs: 60_000 },
  starts: { concurrency: 16, durationMs: Q ? 15_000 : 60_000 },
  sockets: { agents: Q ? 20 : 100, perAgent: 10 },
  memory: { cache: Q ? 500 : 2000, target: Q ? 1500 : 10_000, evictedSamples: Q ? 30 : 200, evictedConcurrency: 5, thinkMs: 250 },
  files: { images: Q ? 12 : 60, pdfs: Q ? 5 : 20, concurrency: 4 },
  workbench: { messages: 2000, samples: Q ? 10 : 40 },
  canned: { entries: 5000, samples: Q ? 300 : 2000, concurrency: 10 },
  search: { messages: Q ? 100_000 : 1_000_000, samples: Q ? 20 : 40 },
  availability: { conversations: Q ? 20_000 : 100_000, samples: Q ? 200 : 1000 },
  transcript: { messages: Q ? 500 : 2000, samples: Q ? 20 : 100, prechatSamples: Q ? 20 : 100 },
  widget: { samples: Q ? 3 : 10 },
  designer: { nodes: 300, samples: Q ? 3 : 8, edits: Q ? 40 : 200 },
  versions: { nodes: 300, samples: Q ? 50 : 200 },
  scenarios: { scenarios: 50, samples: Q ? 10 : 40 },
  // BENCH_REPORTS_CONVERSATIONS: another size (e.g. 20000 for a quick look at the phase itself).
  reports: { conversations: Number(process.env.BENCH_REPORTS_CONVERSATIONS ?? (Q ? 50_000 : 1_000_000)), samples: Q ? 10 : 40, wallboardSamples: Q ? 5 : 20 },
};
const GROUPS: Record<string, AgentGroup> = {
  delivery: { group: 'delivery', prefix: 'bench-d', count: P.delivery.agents, maxConversations: P.delivery.perAgent },
  complete: { group: 'complete', prefix: 'bench-c', count: P.conversations.agents, maxConversations: P.conversations.perAgent },
  assign: { group: 'assign', prefix: 'bench-a', count: P.assign.agents, maxConversations: 1 },
  sockets: { group: 'sockets', prefix: 'bench-s', count: P.sockets.agents, maxConversations: P.sockets.perAgent },
};
const selected = (p: Phase) => args.only === null || args.only.includes(p);

// ---------------------------------------------------------------- results

type Results = Record<string, number | null>;
const results: Results = {};
const details: Record<string, unknown> = {};
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

function machineInfo() {
  const cli = findTemporalCli();
  let temporalVersion = 'unknown';
  try { if (cli) temporalVersion = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim(); } catch { /* keep unknown */ }
  let commit = 'unknown';
  try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* not a checkout */ }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    temporal: temporalVersion,
    temporalCli: cli,
    /** Scheduling priority of the run (e.g. `nice -n -10 npm run bench` on a shared machine gives -10). */
    nice: os.getPriority(),
    commit: process.env.BENCH_COMMIT ?? commit,
  };
}

interface Target { name: string; rule: string; value: number | null; limit: number | null; pass: boolean | null }

function targets(r: Results): Target[] {
  const t = (name: string, rule: string, value: number | null | undefined, limit: number | null, cmp: (v: number, l: number) => boolean): Target => {
    const v = value ?? null;
    const ok = v !== null && limit !== null && Number.isFinite(v) && Number.isFinite(limit) ? cmp(v, limit) : null;
    return { name, rule, value: v, limit: limit === null ? null : round(limit), pass: ok };
  };
  const n = (k: string) => (r[k] === undefined ? null : r[k]);
  const mul = (k: string, f: number) => (n(k) === null ? null : (n(k) as number) * f);
  const add = (k: string, a: number) => (n(k) === null ? null : (n(k) as number) + a);
  const le = (v: number, l: number) => v <= l;
  const lt = (v: number, l: number) => v < l;
  const ge = (v: number, l: number) => v >= l;
  return [
    t('delivery_p99_ms_c1000', '≤ relay_p99_ms + 10', n('delivery_p99_ms_c1000'), add('relay_p99_ms', 10), le),
    t('delivery_p99_ms_c1000', '< 50', n('delivery_p99_ms_c1000'), 50, lt),
    t('bot_reply_p95_ms', '≤ 1.5 × temporal_roundtrip_p95_ms', n('bot_reply_p95_ms'), mul('temporal_roundtrip_p95_ms', 1.5), le),
    t('bot_reply_p99_ms', '< 200', n('bot_reply_p99_ms'), 200, lt),
    t('starts_per_s', '≥ 25', n('starts_per_s'), 25, ge),
    t('conversations_per_s', '≥ 0.5 × temporal_floor_per_s', n('conversations_per_s'), mul('temporal_floor_per_s', 0.5), ge),
    t('assign_p95_ms', '≤ 100', n('assign_p95_ms'), 100, le),
    t('worker_rss_mb_per_1k', '≤ 500', n('worker_rss_mb_per_1k'), 500, le),
    t('open_conversations_10k_rss_mb', '≤ 1500', n('open_conversations_10k_rss_mb'), 1500, le),
    t('evicted_reply_p95_ms', '≤ 2 × bot_reply_p95_ms', n('evicted_reply_p95_ms'), mul('bot_reply_p95_ms', 2), le),
    t('workbench_switch_p95_ms', '≤ 50', n('workbench_switch_p95_ms'), 50, le),
    t('agent_js_gzip_kb', '≤ 200', n('agent_js_gzip_kb'), 200, le),
    t('agent_socket_api_kb_10_conversations', '< 1024', n('agent_socket_api_kb_10_conversations'), 1024, lt),
    t('canned_lookup_p95_ms', '≤ 20', n('canned_lookup_p95_ms'), 20, le),
    t('search_p95_ms', '≤ 200', n('search_p95_ms'), 200, le),
    t('widget_js_gzip_kb', '≤ 6', n('widget_js_gzip_kb'), 6, le),
    t('widget_frame_js_gzip_kb', '≤ 80', n('widget_frame_js_gzip_kb'), 80, le),
    t('widget_load_delay_ms', '≤ 5 (after-load snippet)', n('widget_load_delay_ms'), 5, le),
    t('widget_launcher_ready_ms', '≤ 300 (4× CPU, fast 3G)', n('widget_launcher_ready_ms'), 300, le),
    t('widget_open_history_ms', '≤ 500 (4× CPU, fast 3G)', n('widget_open_history_ms'), 500, le),
    t('designer_open_first_ms', '≤ 1000 (300 nodes)', n('designer_open_first_ms'), 1000, le),
    t('designer_open_ms', '≤ 1000 (300 nodes)', n('designer_open_ms'), 1000, le),
    t('designer_validate_p95_ms', '≤ 20 (300 nodes)', n('designer_validate_p95_ms'), 20, le),
    t('flow_diff_300_p95_ms', '≤ 20', n('flow_diff_300_p95_ms'), 20, le),
    t('reports_p95_ms_max', `≤ ${REPORT_TARGETS.reportP95Ms} (every report, 30 days)`, n('reports_p95_ms_max'), REPORT_TARGETS.reportP95Ms, le),
    t('report_search_p95_ms', `≤ ${REPORT_TARGETS.searchP95Ms}`, n('report_search_p95_ms'), REPORT_TARGETS.searchP95Ms, le),
    t('export_rss_growth_mb', `≤ ${REPORT_TARGETS.exportRssMb} (CSV, all rows)`, n('export_rss_growth_mb'), REPORT_TARGETS.exportRssMb, le),
    t('wallboard_update_p95_ms', `≤ ${REPORT_TARGETS.wallboardMs}`, n('wallboard_update_p95_ms'), REPORT_TARGETS.wallboardMs, le),
  ];
}

const KEYS = [
  'delivery_p50_ms_c100', 'delivery_p99_ms_c100', 'delivery_p50_ms_c1000', 'delivery_p99_ms_c1000', 'relay_p50_ms', 'relay_p99_ms',
  'bot_reply_p50_ms', 'bot_reply_p95_ms', 'bot_reply_p99_ms', 'temporal_roundtrip_p50_ms', 'temporal_roundtrip_p95_ms',
  'starts_per_s', 'conversations_per_s', 'temporal_floor_per_s', 'assign_p95_ms',
  'worker_rss_mb_per_1k', 'open_conversations_10k_rss_mb', 'evicted_reply_p95_ms', 'agent_socket_api_kb_10_conversations',
  'files_image_upload_p50_ms', 'files_image_upload_p95_ms', 'files_image_uploads_per_s', 'files_pdf_upload_p95_ms', 'files_link_thumbnail_p95_ms',
  'workbench_switch_p50_ms', 'workbench_switch_p95_ms', 'agent_js_gzip_kb', 'visitor_js_gzip_kb', 'admin_js_gzip_kb', 'canned_lookup_p95_ms', 'search_p95_ms',
  'availability_read_p95_ms', 'wait_stats_query_p95_ms',
  'transcript_download_p95_ms', 'prechat_submit_p95_ms', 'publish_p95_ms', 'publish_with_50_scenarios_p95_ms',
  'widget_js_gzip_kb', 'widget_frame_js_gzip_kb', 'widget_load_delay_ms', 'widget_load_delay_one_tag_ms', 'widget_launcher_ready_ms', 'widget_launcher_ready_first_page_ms',
  'widget_open_history_ms', 'widget_open_history_first_page_ms', 'widget_history_preloaded_after_load_ms', 'fullpage_history_ms', 'fullpage_history_first_visit_ms',
  'designer_open_first_ms', 'designer_open_ms', 'designer_validate_p95_ms', 'designer_js_gzip_kb',
  'flow_diff_300_p95_ms', 'flow_file_check_300_p95_ms', 'flow_rollback_300_p95_ms',
  'reports_p95_ms_max', 'report_csv_p95_ms_max', 'report_search_p95_ms', 'export_rss_growth_mb', 'export_rows', 'wallboard_update_p95_ms',
] as const;

function printTable(machine: ReturnType<typeof machineInfo>, tg: Target[]) {
  const fmt = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : String(round(v)));
  const lines = [
    '',
    `Parley benchmark (${Q ? 'quick' : 'full'}${args.only ? `, only ${args.only.join(',')}` : ''}) — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.temporal.split('\n')[0]}`,
    '',
    `${'metric'.padEnd(32)} ${'value'.padStart(10)}`,
    `${'-'.repeat(32)} ${'-'.repeat(10)}`,
    ...KEYS.map((k) => `${k.padEnd(32)} ${fmt(results[k]).padStart(10)}`),
    '',
    `${'target'.padEnd(58)} ${'value'.padStart(9)} ${'limit'.padStart(9)}  result`,
    `${'-'.repeat(58)} ${'-'.repeat(9)} ${'-'.repeat(9)}  ------`,
    ...tg.map((x) => `${`${x.name} ${x.rule}`.padEnd(58)} ${fmt(x.value).padStart(9)} ${fmt(x.limit).padStart(9)}  ${x.pass === null ? 'n/a' : x.pass ? 'PASS' : 'MISS'}`),
    '',
  ];
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------- the run

let stack: ProcessStack | null = null;
const clients: ClientProcess[] = [];
const services: Service[] = [];
let profileDir: string | null = null;

async function cleanup() {
  await Promise.allSettled(clients.map((c) => c.stop()));
  await Promise.allSettled(services.map((s) => s.stop()));
  await stack?.stop().catch((err) => console.error('stopping the stack:', err));
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${sig}: stopping...`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const machine = machineInfo();
  let busy = await machineBusyPercent(3000);
  if (args.waitQuietMin > 0) {
    const until = Date.now() + args.waitQuietMin * 60_000;
    while (busy > 15 && Date.now() < until) {
      log(`machine busy ${busy}% (other processes); waiting for it to go quiet...`);
      await sleep(20_000);
      busy = await machineBusyPercent(5000);
    }
  }
  if (busy > 15) log(`WARNING: other processes keep the machine ${busy}% busy (100% = one core); results will be disturbed`);
  details.machine_busy_percent_before = busy;
  const started = Date.now();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  if (args.profile) {
    profileDir = path.join(RESULTS_DIR, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
    fs.mkdirSync(profileDir, { recursive: true });
  }
  // One directory per launch: Node writes one profile per thread (main, the tsx loader thread, ...)
  // named CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile; the main thread's is the largest.
  let launches = 0;
  // PARLEY_BENCH_NODE_ARGS: extra Node flags for the worker and APIs in experiments (e.g. --trace-gc).
  // PARLEY_BENCH_WORKER_NODE_ARGS: the same for the worker only.
  const flagsFrom = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
  const launch = (kind: 'api' | 'worker'): AppLaunch => ({
    nodeArgs: [...flagsFrom('PARLEY_BENCH_NODE_ARGS'),
      // The sockets phase reads the APIs' heap through their inspector (bench/agent-sockets.ts); loopback, any free port.
      ...(kind === 'api' && selected('sockets') ? ['--inspect=127.0.0.1:0'] : []), ...(kind === 'worker' ? flagsFrom('PARLEY_BENCH_WORKER_NODE_ARGS') : []), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, `${kind}-${++launches}`)}`] : [])],
  });

  // The API serves web/dist only if it exists when it starts: build it first for the workbench phase.
  if (selected('workbench') || selected('widget') || selected('designer')) ensureWebBuild();
  log(`starting the stack (${args.apis} API process(es), 1 worker)...`);
  stack = await startProcessStack({
    apis: args.apis,
    workers: 1,
    password: P.password,
    workerMaxCachedWorkflows: 2000,
    api: launch('api'),
    worker: launch('worker'),
    keepFiles: args.keep,
    log,
    prepare: (db) => prepareDatabase(db, P.password, Object.values(GROUPS)),
  });
  log(`stack up: ${JSON.stringify(stack.pids)} (logs in ${stack.tempDir}${args.keep ? '' : ', removed at the end; --keep keeps them'})`);
  const s = stack;

  const visitors: ClientProcess[] = [];
  for (let i = 0; i < P.visitorProcesses; i++) visitors.push(await startClient('visitor.ts', `visitor-${i}`));
  const agents = await startClient('agent.ts', 'agent');
  clients.push(...visitors, agents);
  const allPids = (): Record<string, number | null> => ({
    ...s.pids,
    ...Object.fromEntries(clients.map((c) => [c.name, c.pid])),
    ...Object.fromEntries(services.map((x, i) => [`service-${i}`, x.pid])),
  });
  const probes = new Probes(s.databaseUrl, s.logFile('temporal'));
  /** A measurement window: CPU per process and server-side counters, reported per benchmark operation. */
  const window = async () => {
    const meter = new CpuMeter(allPids);
    const p0 = await probes.snapshot();
    const sampler = new LatencySampler({ databaseUrl: s.databaseUrl, apiUrl: s.apiUrls[0], temporalAddress: s.temporalAddress });
    await sampler.start();
    meter.begin();
    return {
      async end(ops: number) {
        const cpuPercent = meter.end();
        const responsiveness = await sampler.stop();
        const p1 = await probes.snapshot();
        return {
          ops, seconds: round(meter.wallSeconds), cpuPercent, cpuMsPerOp: cpuMsPerOp(cpuPercent, meter.wallSeconds, ops),
          ...Probes.perOp(p0, p1, ops), probeLatencyMs: responsiveness,
        };
      },
    };
  };
  const perVisitor = (n: number) => Math.ceil(n / visitors.length);

  const phaseTimes: Record<string, number> = {};
  const phaseCpu: Record<string, Record<string, number>> = {};
  const runPhase = async (name: Phase, fn: () => Promise<void>) => {
    if (!selected(name)) return;
    const t0 = Date.now();
    const meter = new CpuMeter(allPids);
    meter.begin();
    log(`=== ${name} ===`);
    try {
      await fn();
    } catch (err) {
      log(`phase ${name} FAILED: ${err instanceof Error ? err.stack : String(err)}`);
      details[`${name}_error`] = String(err);
    }
    phaseTimes[name] = round((Date.now() - t0) / 1000);
    phaseCpu[name] = meter.end();
    if (phaseCpu[name].foreign > 15) log(`WARNING: during ${name}, other processes used ${phaseCpu[name].foreign}% CPU, of which ${phaseCpu[name].steal}% was taken by the host (100% = one core)`);
  };

  // ------------------------------------------------------------ delivery + relay
  await runPhase('delivery', async () => {
    const d = P.delivery;
    const emails = agentEmails(GROUPS.delivery);
    await agents.call('login', { apiUrls: s.apiUrls, emails, password: P.password, group: 'delivery', mode: 'echo' });
    await agents.call('status', { group: 'delivery', status: 'online' });
    log(`opening ${d.high} conversations through the flow to an agent...`);
    const t0 = Date.now();
    const opened = await Promise.all(visitors.map((v) => v.call<{ opened: number; failed: number; errors: string[] }>('open', {
      apiUrls: s.apiUrls, count: perVisitor(d.high), concurrency: d.openConcurrency, stage: 'assigned', pool: 'chat',
    })));
    const openSeconds = round((Date.now() - t0) / 1000);
    log(`opened ${opened.map((o) => o.opened).join('+')} (failed ${opened.map((o) => o.failed).join('+')}) in ${round((Date.now() - t0) / 1000)} s ${opened.flatMap((o) => o.errors).slice(0, 2).join(' | ')}`);
    await agents.call('waitWatched', { group: 'delivery', count: opened.reduce((n, o) => n + o.opened, 0), timeoutMs: 180_000 });

    const measure = async (target: 'parley' | 'relay', active: number) => {
      const w = await window();
      await agents.call('takeOneWay');
      const res = await Promise.all(visitors.map((v) => v.call<{ samples: number[]; back: number[]; backInsert: number[]; errors: number; firstError: string[]; ops: number }>('delivery', {
        pool: 'chat', target, active: perVisitor(active), intervalMs: d.intervalMs, durationMs: d.durationMs, warmupMs: d.warmupMs,
      })));
      const samples = res.flatMap((r) => r.samples);
      const stats = summarize(samples);
      const errors = res.reduce((n, r) => n + r.errors, 0);
      const halves = await agents.call<{ oneWay: number[]; oneWayInsert: number[] }>('takeOneWay');
      details[`${target}_c${active}`] = {
        ...stats, errors, firstError: res.flatMap((r) => r.firstError).slice(0, 2),
        visitorToAgent: summarize(halves.oneWay), ...(target === 'parley' ? { visitorSendToInsert: summarize(halves.oneWayInsert) } : {}),
        agentToVisitor: summarize(res.flatMap((r) => r.back)), ...(target === 'parley' ? { agentSendToInsert: summarize(res.flatMap((r) => r.backInsert)) } : {}),
        cost: await w.end(res.reduce((n, r) => n + r.ops, 0)),
      };
      log(`${target} c${active}: ${JSON.stringify(stats)} errors=${errors}`);
      return stats;
    };
    const low = await measure('parley', d.low);
    results.delivery_p50_ms_c100 = low.p50;
    results.delivery_p99_ms_c100 = low.p99;
    const high = await measure('parley', d.high);
    results.delivery_p50_ms_c1000 = high.p50;
    results.delivery_p99_ms_c1000 = high.p99;

    const relay = await startService('bench/baselines/relay-server.ts', 'api', {}, /relay listening on (\d+)/, path.join(s.tempDir, 'relay.log'));
    services.push(relay);
    const relayUrl = `http://127.0.0.1:${relay.match[1]}`;
    await Promise.all(visitors.map((v) => v.call('relayConnect', { url: relayUrl, pool: 'chat', concurrency: 50 })));
    await agents.call('relayConnect', { group: 'delivery', url: relayUrl });
    const r = await measure('relay', d.high);
    results.relay_p50_ms = r.p50;
    results.relay_p99_ms = r.p99;
    await Promise.all(visitors.map((v) => v.call('closeAll')));
    await agents.call('closeRelay');
    await relay.stop();
    services.splice(services.indexOf(relay), 1);
    await agents.call('status', { group: 'delivery', status: 'away' });
    await agents.call('mode', { group: 'delivery', mode: 'idle' });
    // Served conversations look at their transcript every few minutes (chat timers): close them so
    // the later phases do not measure 1,000 conversations' timers firing in the background.
    try {
      details.delivery_cleanup = await agents.call('endConversations', { group: 'delivery', concurrency: 8 });
      log(`closed the delivery conversations: ${JSON.stringify(details.delivery_cleanup)}`);
      // The closes' tail (dispatcher releases, rating invitations) loaded the next phase's first
      // seconds when this waited 5 s (bot reply p50 233 ms vs 105 ms): let it drain.
      await new Promise((r) => setTimeout(r, 45_000));
    } catch (err) {
      log(`WARNING: could not close the delivery conversations: ${String(err)}`);
    }
    details.delivery_agents = await agents.call('stats', { group: 'delivery' });
    details.delivery_params = { ...d, opened: opened.map((o) => o.opened), openFailed: opened.map((o) => o.failed), openErrors: opened.flatMap((o) => o.errors).slice(0, 4), openSeconds, note: 'each active conversation: visitor "ping" every U[0.5,1.5]×intervalMs, agent answers at once, RTT timed at the visitor' };
  });

  // ------------------------------------------------------------ echo worker (bot + conversations floors)
  let echo: Service | null = null;
  let temporalClient: ClientProcess | null = null;
  const ensureEcho = async () => {
    if (echo) return;
    echo = await startService('bench/baselines/echo-worker.ts', 'worker', { DATABASE_URL: s.databaseUrl, TEMPORAL_ADDRESS: s.temporalAddress }, /echo worker polling/, path.join(s.tempDir, 'echo-worker.log'));
    services.push(echo);
    temporalClient = await startClient('temporal.ts', 'temporal-client');
    clients.push(temporalClient);
    await temporalClient.call('init', { databaseUrl: s.databaseUrl, temporalAddress: s.temporalAddress });
  };

  // ------------------------------------------------------------ bot reply + temporal round trip
  await runPhase('bot', async () => {
    const b = P.bot;
    let w = await window();
    const bot = await visitors[0].call<{ samples: number[]; errors: number; firstError: string[]; ops: number; slowest: unknown[] }>('botLoop', {
      apiUrl: s.apiUrls[0], concurrency: b.concurrency, durationMs: b.durationMs, warmupMs: b.warmupMs, thinkMs: b.thinkMs,
    });
    const botStats = summarize(bot.samples);
    details.bot = { ...botStats, errors: bot.errors, firstError: bot.firstError, slowest: bot.slowest, cost: await w.end(bot.ops) };
    log(`bot reply: ${JSON.stringify(botStats)} errors=${bot.errors} ${bot.firstError.join(' | ')}`);
    results.bot_reply_p50_ms = botStats.p50;
    results.bot_reply_p95_ms = botStats.p95;
    results.bot_reply_p99_ms = botStats.p99;

    await ensureEcho();
    w = await window();
    const e = await temporalClient!.call<{ samples: number[]; errors: number; firstError: string[]; ops: number }>('echo', {
      concurrency: b.concurrency, durationMs: b.durationMs, warmupMs: b.warmupMs, thinkMs: b.thinkMs,
    });
    const eStats = summarize(e.samples);
    details.temporal_roundtrip = { ...eStats, errors: e.errors, firstError: e.firstError, cost: await w.end(e.ops) };
    log(`temporal round trip: ${JSON.stringify(eStats)} errors=${e.errors}`);
    results.temporal_roundtrip_p50_ms = eStats.p50;
    results.temporal_roundtrip_p95_ms = eStats.p95;
    details.bot_params = b;
  });

  // ------------------------------------------------------------ complete conversations + floor
  await runPhase('conversations', async () => {
    const c = P.conversations;
    await agents.call('login', { apiUrls: s.apiUrls, emails: agentEmails(GROUPS.complete), password: P.password, group: 'complete', mode: 'complete' });
    await agents.call('status', { group: 'complete', status: 'online' });
    let w = await window();
    const res = await Promise.all(visitors.map((v) => v.call<{ counted: number; windowMs: number; failed: number; errors: string[]; durations: number[]; slow: Array<Record<string, number | string>> }>('complete', {
      apiUrls: s.apiUrls, concurrency: perVisitor(c.concurrency), durationMs: c.durationMs, warmupMs: c.warmupMs,
    })));
    const counted = res.reduce((n, r) => n + r.counted, 0);
    results.conversations_per_s = round(counted / ((c.durationMs - c.warmupMs) / 1000), 2);
    details.conversations = {
      counted, failed: res.reduce((n, r) => n + r.failed, 0), errors: res.flatMap((r) => r.errors).slice(0, 3),
      durationMs: summarize(res.flatMap((r) => r.durations)), slowest: res.flatMap((r) => r.slow).slice(0, 10), cost: await w.end(res.reduce((n, r) => n + r.durations.length, 0)), agents: await agents.call('stats', { group: 'complete' }),
    };
    log(`conversations: ${results.conversations_per_s}/s ${JSON.stringify(details.conversations)}`);
    await agents.call('status', { group: 'complete', status: 'away' });

    await ensureEcho();
    w = await window();
    const f = await temporalClient!.call<{ counted: number; failed: number; errors: string[]; durations: number[] }>('floor', {
      concurrency: c.concurrency, durationMs: c.durationMs, warmupMs: c.warmupMs,
    });
    results.temporal_floor_per_s = round(f.counted / ((c.durationMs - c.warmupMs) / 1000), 2);
    details.temporal_floor = { counted: f.counted, failed: f.failed, errors: f.errors.slice(0, 3), durationMs: summarize(f.durations),
        cost: await w.end(f.durations.length) };
    log(`temporal floor: ${results.temporal_floor_per_s}/s ${JSON.stringify(details.temporal_floor)}`);
    details.conversations_params = c;
  });
  if (echo) {
    await (echo as Service).stop();
    services.splice(services.indexOf(echo), 1);
  }

  // ------------------------------------------------------------ assignment latency
  await runPhase('assign', async () => {
    const a = P.assign;
    log(`queueing ${a.queue} conversations...`);
    await visitors[0].call('open', { apiUrls: s.apiUrls, count: a.queue, concurrency: 5, stage: 'queued', pool: 'queue' });
    await agents.call('login', { apiUrls: s.apiUrls, emails: agentEmails(GROUPS.assign), password: P.password, group: 'assign', mode: 'idle' });
    await agents.call('status', { group: 'assign', status: 'online' });
    await sleep(1000);
    // Keep the queue length steady: one new waiting conversation per assignment.
    let topUps = Promise.resolve();
    agents.on('assigned', () => {
      topUps = topUps.then(() => visitors[1].call('open', { apiUrls: s.apiUrls, count: 1, concurrency: 1, stage: 'queued', pool: 'queue' }).then(() => {}, () => {}));
    });
    const w = await window();
    const res = await agents.call<{ samples: number[]; usable: number[]; closeAcks: number[]; errors: number; firstErrors: string[] }>('assign', {
      group: 'assign', samples: a.samples, pauseMs: a.pauseMs, timeoutMs: a.timeoutMs,
    });
    await topUps;
    const stats = summarize(res.samples);
    results.assign_p95_ms = stats.p95;
    details.assign = { ...stats, usable: summarize(res.usable), closeAck: summarize(res.closeAcks), errors: res.errors,
        firstErrors: res.firstErrors.slice(0, 3), cost: await w.end(res.samples.length), params: a };
    log(`assign: ${JSON.stringify(details.assign)}`);
    await agents.call('status', { group: 'assign', status: 'away' });
    await Promise.all(visitors.map((v) => v.call('closeAll')));
  });

  // ------------------------------------------------------------ files (bench/files.ts)
  await runPhase('files', async () => {
    const w = await window();
    const r = await runFilesPhase(s.apiUrls[0], P.files, log);
    Object.assign(results, r.results);
    details.files = { ...r.details, cost: await w.end(P.files.images * 2 + P.files.pdfs) };
    log(`files: ${JSON.stringify(r.results)}`);
  });

  // ------------------------------------------------------------ API memory per agent socket (bench/agent-sockets.ts)
  await runPhase('sockets', async () => {
    const r = await measureAgentSockets({
      agents, visitors, apiUrls: s.apiUrls, emails: agentEmails(GROUPS.sockets), password: P.password,
      conversationsPerAgent: P.sockets.perAgent, log,
      apiRssMb: () => s.parts().filter((p) => p.startsWith('api')).reduce((mb, p) => mb + s.rssMb(p), 0),
      apiLogFiles: s.parts().filter((p) => p.startsWith('api')).map((p) => s.logFile(p)),
    });
    results.agent_socket_api_kb_10_conversations = r.heapKbPerSocket ?? r.rssKbPerSocket;
    details.sockets = { ...r, apis: args.apis, note: 'JS memory (V8 heap + external, after a forced full collection) and RSS growth of the API processes together per agent socket; see bench/agent-sockets.ts' };
  });

  // ------------------------------------------------------------ starts, worker memory, evicted replies
  const memory = selected('memory');
  if (selected('starts') || memory) {
    await runPhase(memory ? 'memory' : 'starts', async () => {
      const m = P.memory;
      const cache = m.cache;
      log(`restarting the worker with WORKER_MAX_CACHED_WORKFLOWS=${cache} (empty cache, fresh heap)...`);
      await s.restart('worker-0', { ...launch('worker'), env: { WORKER_MAX_CACHED_WORKFLOWS: String(cache) } });
      await sleep(5000);
      const rss0 = s.rssMb('worker-0');
      const rssTrace: Array<[number, number, number]> = []; // [seconds, conversations, rss MB]
      let created = 0;
      const t0 = Date.now();
      const trace = setInterval(() => rssTrace.push([round((Date.now() - t0) / 1000), created, round(s.rssMb('worker-0'))]), 2000);
      const startBatch = async (opts: { durationMs?: number; count?: number }) => {
        const res = await Promise.all(visitors.map((v) => v.call<{ completed: number; failed: number; errors: string[]; samples: number[]; total: number }>('starts', {
          apiUrls: s.apiUrls, concurrency: perVisitor(P.starts.concurrency), pool: 'idle',
          ...(opts.durationMs ? { durationMs: opts.durationMs } : { count: perVisitor(opts.count!) }),
        })));
        created = res.reduce((n, r) => n + r.total, 0);
        return res;
      };
      for (const v of visitors) v.on('started', () => { /* progress only */ });
      try {
        let w = await window();
        const st = await startBatch({ durationMs: P.starts.durationMs });
        const completed = st.reduce((n, r) => n + r.completed, 0);
        results.starts_per_s = round(completed / (P.starts.durationMs / 1000), 1);
        details.starts = {
          completed, failed: st.reduce((n, r) => n + r.failed, 0), errors: st.flatMap((r) => r.errors).slice(0, 3),
          latencyMs: summarize(st.flatMap((r) => r.samples)), cost: await w.end(completed), concurrency: P.starts.concurrency, durationMs: P.starts.durationMs,
        };
        log(`starts: ${results.starts_per_s}/s ${JSON.stringify(details.starts)}`);
        if (!memory) return;

        // The rest is started in bulk (bench/clients/bulk.ts: Parley's own conversation service, without
        // the HTTP/socket round trips) so that 10,000 open conversations fit in the run.
        const bulk = await startClient('bulk.ts', 'bulk');
        clients.push(bulk);
        await bulk.call('init', { databaseUrl: s.databaseUrl, temporalAddress: s.temporalAddress, namespace: s.namespace, taskQueue: s.taskQueue, deskId: s.deskId, secret: s.secret });
        const bulkFill = async (count: number) => {
          const r = await bulk.call<{ handles: Array<{ token: string; visitorId: string; conversationId: string }>; failed: number; errors: string[]; startedMs: number; readyMs: number; withMenu: number }>('fill', {
            count, concurrency: 24, timeoutMs: 300_000,
          });
          if (r.failed || r.withMenu < r.handles.length) log(`bulk: ${r.failed} failed, ${r.handles.length - r.withMenu} without menu ${r.errors.slice(0, 2).join(' | ')}`);
          // Hand them to the visitor processes in creation order (alternating), for the evicted replies.
          await Promise.all(visitors.map((v, i) => v.call('adopt', { pool: 'idle', apiUrl: s.apiUrls[0], handles: r.handles.filter((_, j) => j % visitors.length === i) })));
          created += r.handles.length;
          return r;
        };

        // Fill the cache exactly (or note that the starts already overflowed it), let it settle, read RSS.
        if (created < cache) await bulkFill(cache - created);
        await sleep(5000);
        const rssCache = s.rssMb('worker-0');
        const cachedNow = Math.min(created, cache);
        results.worker_rss_mb_per_1k = round((rssCache - rss0) / (cachedNow / 1000), 1);
        log(`worker RSS ${round(rss0)} MB empty → ${round(rssCache)} MB with ${cachedNow} cached (${created} started): ${results.worker_rss_mb_per_1k} MB per 1k`);

        log(`starting conversations up to ${m.target} open...`);
        w = await window();
        const fillT0 = Date.now();
        const before = created;
        while (created < m.target) await bulkFill(Math.min(2000, m.target - created));
        const fillS = (Date.now() - fillT0) / 1000;
        const fillCost = await w.end(created - before);
        await sleep(10_000);
        const rssFull = s.rssMb('worker-0');
        results.open_conversations_10k_rss_mb = round(rssFull);
        details.memory = {
          cache, rssEmptyMb: round(rss0), rssCacheFullMb: round(rssCache), cachedAtCacheFull: cachedNow, rssAtTargetMb: round(rssFull),
          target: m.target, created,
          peakRssMb: round(Math.max(...rssTrace.map((x) => x[2]), rssFull)), fillRatePerS: round((created - before) / fillS, 1), fillCost,
        };
        log(`worker RSS with ${created} open conversations (cache ${cache}): ${round(rssFull)} MB`);

        // Evicted: conversations from the oldest part of each visitor's pool (the cache holds the newest `cache`).
        const sizes = await Promise.all(visitors.map((v) => v.call<number>('size', { pool: 'idle' })));
        w = await window();
        const ev = await Promise.all(visitors.map((v, i) => v.call<{ samples: number[]; errors: number; firstError: string[] }>('evicted', {
          pool: 'idle', from: 0, to: Math.floor(sizes[i] * (1 - (cache * 1.5) / created)), concurrency: Math.ceil(m.evictedConcurrency / visitors.length),
          samples: perVisitor(m.evictedSamples), thinkMs: m.thinkMs,
        })));
        const evStats = summarize(ev.flatMap((r) => r.samples));
        results.evicted_reply_p95_ms = evStats.p95;
        details.evicted = { ...evStats, errors: ev.reduce((n, r) => n + r.errors, 0), firstError: ev.flatMap((r) => r.firstError).slice(0, 2),
            cost: await w.end(evStats.n) };
        log(`evicted reply: ${JSON.stringify(details.evicted)}`);
        // Control: the same reconnect-and-ask procedure on the newest conversations (still cached).
        const cached = await Promise.all(visitors.map((v, i) => v.call<{ samples: number[]; errors: number }>('evicted', {
          pool: 'idle', from: Math.floor(sizes[i] - cache / visitors.length / 2), to: sizes[i], concurrency: Math.ceil(m.evictedConcurrency / visitors.length),
          samples: perVisitor(Math.min(100, m.evictedSamples)), thinkMs: m.thinkMs,
        })));
        details.cached_reconnect_reply = summarize(cached.flatMap((r) => r.samples));
        log(`control (cached, same procedure): ${JSON.stringify(details.cached_reconnect_reply)}`);
      } finally {
        clearInterval(trace);
        details.rss_trace = rssTrace;
      }
    });
  }

  // ------------------------------------------------------------ workbench (browser render + bundle size)
  await runPhase('workbench', async () => {
    const r = await workbenchRenderPhase({ apiUrl: s.apiUrls[0], databaseUrl: s.databaseUrl, password: P.password, ...P.workbench, log });
    Object.assign(results, r.results);
    details.workbench = r.details;
  });

  // ------------------------------------------------------------ canned-response lookup
  await runPhase('canned', async () => {
    const w = await window();
    let ops = 0;
    try {
      const r = await cannedPhase({ apiUrl: s.apiUrls[0], password: P.password, ...P.canned, log });
      ops = r.sequential.n + r.concurrent.n;
      details.canned = r;
      results.canned_lookup_p95_ms = r.sequential.p95;
      log(`canned lookup (${r.entries} entries): one agent ${JSON.stringify(r.sequential)} (GET /api/auth/me ${JSON.stringify(r.floorGetMe)}); ${r.concurrent.agents} at once ${JSON.stringify(r.concurrent)}`);
    } finally {
      details.canned_cost = await w.end(Math.max(1, ops)); // also stops the window's sampler when the phase failed
    }
  });

  // ------------------------------------------------------------ search (issue 18): its own database on the stack's cluster
  await runPhase('search', async () => {
    const r = await runSearchBench({ adminUrl: s.databaseUrl, messages: P.search.messages, samples: P.search.samples, log });
    results.search_p95_ms = r.p95;
    details.search = r;
  });

  // ------------------------------------------------------------ availability and estimated wait (issue 19)
  await runPhase('availability', async () => {
    const r = await availabilityPhase({ apiUrl: s.apiUrls[0], databaseUrl: s.databaseUrl, ...P.availability, log });
    results.availability_read_p95_ms = r.read.p95;
    results.wait_stats_query_p95_ms = Math.max(r.firstResponseQuery.p95, r.serviceQuery.p95);
    details.availability = r;
    log(`availability (${r.conversations} served conversations): read ${JSON.stringify(r.read)}; first-response median ${JSON.stringify(r.firstResponseQuery)}; service median ${JSON.stringify(r.serviceQuery)}; now ${JSON.stringify(r.availability)}`);
  });

  // ------------------------------------------------------------ the visitor's chat (issue 19): transcript download, pre-chat submit
  await runPhase('transcript', async () => {
    const r = await transcriptPhase({ apiUrl: s.apiUrls[0], databaseUrl: s.databaseUrl, password: P.password, ...P.transcript, log });
    results.transcript_download_p95_ms = r.download.p95;
    results.prechat_submit_p95_ms = r.prechatSubmit.p95;
    details.transcript = r;
    log(`transcript of ${r.messages} messages (${r.transcriptBytes} bytes): ${JSON.stringify(r.download)}; pre-chat submit ${JSON.stringify(r.prechatSubmit)}`);
  });

  // ------------------------------------------------------------ test scenarios (issue 20): what running them adds to a publish
  await runPhase('scenarios', async () => {
    const r = await scenariosPhase({ apiUrl: s.apiUrls[0], password: P.password, ...P.scenarios, log });
    results.publish_p95_ms = r.publish.p95;
    results.publish_with_50_scenarios_p95_ms = r.publishWithScenarios.p95;
    details.scenarios = r;
    log(`publish: ${JSON.stringify(r.publish)}; with ${r.scenarios} scenarios (${r.inputs} inputs): ${JSON.stringify(r.publishWithScenarios)}`);
  });

  // ------------------------------------------------------------ widget (issue 19): Chromium against a host page on another origin
  await runPhase('widget', async () => {
    const r = await widgetPhase({ apiUrl: s.apiUrls[0], databaseUrl: s.databaseUrl, ...P.widget, log });
    Object.assign(results, r.results);
    details.widget = r.details;
  });

  // ------------------------------------------------------------ flow designer (issue 20): a 300-node flow in Chromium
  await runPhase('designer', async () => {
    const r = await designerPhase({ apiUrl: s.apiUrls[0], databaseUrl: s.databaseUrl, password: P.password, ...P.designer, log });
    Object.assign(results, r.results);
    details.designer = r.details;
  });

  // ------------------------------------------------------------ flow versions (issue 20): compare, import check, roll-back
  await runPhase('versions', async () => {
    const r = await flowVersionsPhase({ apiUrl: s.apiUrls[0], password: P.password, ...P.versions, log });
    results.flow_diff_300_p95_ms = r.diff.p95;
    results.flow_file_check_300_p95_ms = r.fileCheck.p95;
    results.flow_rollback_300_p95_ms = r.rollback.p95;
    details.versions = r;
  });

  // ------------------------------------------------------------ reports (issue 21): on the generated desk (bench/reports.ts)
  await runPhase('reports', async () => {
    const r = await reportsPhase({
      ...P.reports, cacheDir: path.join(BENCH_DIR, 'tmp', 'reports-data'), log,
      useDatabase: async (url) => {
        await s.restart('api-0', url ? { ...launch('api'), env: { DATABASE_URL: url } } : launch('api'));
        return s.apiUrls[0];
      },
      apiPid: () => s.pids['api-0'] ?? null,
    });
    Object.assign(results, r.results);
    details.reports = r.details;
  });

  await probes.close();

  // ------------------------------------------------------------ report
  const tg = targets(results);
  const out = {
    ...Object.fromEntries(KEYS.map((k) => [k, results[k] ?? null])),
    machine,
    targets: tg,
    mode: Q ? 'quick' : 'full',
    only: args.only,
    apiProcesses: args.apis,
    phaseSeconds: phaseTimes,
    phaseCpuPercent: phaseCpu,
    totalSeconds: round((Date.now() - started) / 1000),
    finishedAt: new Date().toISOString(),
    profiles: profileDir,
    details,
  };
  printTable(machine, tg);
  const disturbed = Object.entries(phaseCpu).filter(([, c]) => c.foreign > 15).map(([p, c]) => `${p} ${c.foreign}% (host steal ${c.steal}%)`);
  if (disturbed.length) console.log(`WARNING: other processes loaded the machine during: ${disturbed.join(', ')} (100% = one core); figures are disturbed.\n`);
  const file = path.join(RESULTS_DIR, args.only ? 'partial.json' : Q ? 'quick.json' : 'latest.json');
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), file)} (${out.totalSeconds} s)`);
}

main()
  .catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    process.exit(process.exitCode ?? 0);
  });
