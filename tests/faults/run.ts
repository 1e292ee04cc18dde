/**
 * Fault-injection suite (GitHub issue 5): `npm run test:faults` (long, ~10+ min) or
 * `npm run test:faults -- --short` (~2 min, CI). See docs/faults.md.
 *
 * Starts the real stack as separate processes (Temporal dev server on SQLite, PostgreSQL, worker,
 * API processes), runs scripted conversations through every flow node type, the queue, transfers
 * and the timers, while SIGKILLing and restarting every part at seeded random moments. Then checks
 * PostgreSQL and Temporal against what the clients were acknowledged. Exit code 0 = no violation.
 *
 * Options: --short  --seed <n>  --conversations <n>  --kills-per-part <n>  --keep (keep logs and data)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { hashPassword } from '../../api/auth/passwords.js';
import { ack, connected, socketClient } from '../../client/socket.js';
import { flowVersions, teamMembers, users } from '../../db/schema.js';
import { saveDispatcherSettings } from '../../db/settings.js';
import { startProcessStack, type ProcessStack } from '../../scripts/lib/process-stack.js';
import type { ChatMessage } from '../../domain/messages.js';
import { dispatcherStateQuery } from '../../domain/contracts/dispatcher-workflow.js';
import { DEFAULT_DISPATCHER_SETTINGS, type DispatcherSnapshot } from '../../domain/desk/state.js';
import { validateFlow } from '../../domain/flow/validate.js';
import { parseOutboundAllow } from '../../domain/outbound.js';
import { chaos, downtimeBetween, type Chaos } from './lib/chaos.js';
import { AgentClient, Deadline, errText, request, sleep, type AckedMessage } from './lib/clients.js';
import { faultFlow } from './lib/flow.js';
import { LONG, SHORT, type Profile } from './lib/profile.js';
import { createRng } from './lib/rng.js';
import { planKinds, runScenario, type ScenarioResult, type World } from './lib/scenarios.js';
import { checkDispatcher, checkPresence, readPresence, settle, verify, type Counts, type Violation, type ViolationKind } from './lib/verify.js';
import { startWebhook } from './lib/webhook.js';

const PASSWORD = 'faults-password';

export interface FaultRunSummary {
  mode: Profile['name'];
  seed: number;
  passed: boolean;
  durationSec: number;
  conversations: number;
  kills: Record<string, number>;
  counts: Counts | null;
  violations: Violation[];
  logFile: string;
}

export async function runFaults(argv: string[]): Promise<FaultRunSummary> {
  const { values } = parseArgs({
    args: argv,
    options: {
      short: { type: 'boolean', default: false },
      seed: { type: 'string' },
      conversations: { type: 'string' },
      'kills-per-part': { type: 'string' },
      keep: { type: 'boolean', default: false },
      supervised: { type: 'boolean' },
      unsupervised: { type: 'boolean' },
    },
    strict: true,
  });
  const base = values.short ? SHORT : LONG;
  const profile: Profile = {
    ...base,
    conversations: values.conversations ? Number(values.conversations) : base.conversations,
    killsPerPart: values['kills-per-part'] ? Number(values['kills-per-part']) : base.killsPerPart,
    supervised: values.supervised ? true : values.unsupervised ? false : base.supervised,
  };
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const rng = createRng(seed);
  const t0 = Date.now();
  const clock = () => `[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s]`;
  const logFile = path.join(os.tmpdir(), `parley-faults-${profile.name}-${seed}-${t0}.log`);
  const logStream = fs.createWriteStream(logFile);
  const log = (line: string) => { logStream.write(`${clock()} ${line}\n`); };
  const say = (line: string, stamp = true) => { console.log(stamp ? `${clock()} ${line}` : line); log(line); };

  say(`faults: ${profile.name} run, seed ${seed} (repeat with --seed ${seed}); ${profile.conversations} conversations, ${profile.killsPerPart} kills of each part${profile.supervised ? ', restarted by npm start\'s supervisor' : ''}`);
  say(`faults: detailed log in ${logFile}`);

  const violations: Violation[] = [];
  const add = (kind: ViolationKind, detail: string) => {
    if (violations.filter((x) => x.detail === detail).length) return;
    violations.push({ kind, detail });
    console.log(`${clock()} VIOLATION [${kind}] ${detail.length > 400 ? `${detail.slice(0, 400)}…` : detail}`);
    log(`VIOLATION [${kind}] ${detail}`);
  };

  const webhook = await startWebhook();
  const flow = faultFlow(webhook.url, profile);
  // The order hook runs on 127.0.0.1: the operator's allow-list names it (PARLEY_OUTBOUND_ALLOW), as it must in production.
  const outboundAllow = '127.0.0.1';
  const checked = validateFlow(flow, { outbound: parseOutboundAllow(outboundAllow) });
  if (!checked.ok) throw new Error(`fault flow does not validate: ${JSON.stringify(checked.problems)}`);

  let stack: ProcessStack | null = null;
  let temporal: Client | null;
  let connection: Connection | null = null;
  const agents: AgentClient[] = [];
  let counts: Counts | null = null;
  let ch: Chaos | null = null;
  const results: ScenarioResult[] = [];
  const acked: AckedMessage[] = [];
  const extraConversationIds: string[] = [];
  let harnessError: unknown = null;
  let harnessDb: pg.Pool | null = null;

  try {
    say(`starting the stack (Temporal dev server on SQLite, PostgreSQL, 1 worker, ${profile.apis} API processes)...`);
    stack = await startProcessStack({
      apis: profile.apis,
      workers: 1,
      api: { env: { PARLEY_OUTBOUND_ALLOW: outboundAllow } },
      worker: { env: { PARLEY_OUTBOUND_ALLOW: outboundAllow } },
      password: PASSWORD,
      keepFiles: true,
      log: (l) => log(`stack: ${l}`),
      // npm start's supervisor, with quick restarts: the chaos holds each restart for its chosen down time.
      ...(profile.supervised ? { supervise: { initialBackoffMs: 250, maxBackoffMs: 2_000, resetAfterMs: 10_000 } } : {}),
      prepare: async ({ db }) => {
        await db.insert(flowVersions).values({ flowId: 'default', version: 2, definition: flow });
        await saveDispatcherSettings(db, {
          ...DEFAULT_DISPATCHER_SETTINGS, serviceMode: 'manual', transferConfirmation: true, ...profile.routing, strategy: 'least-busy',
        });
        const [carol] = await db.insert(users).values({ email: 'carol@parley.local', nickname: 'Carol', role: 'agent', passwordHash: await hashPassword(PASSWORD) }).returning();
        await db.insert(teamMembers).values({ teamId: 'support', userId: carol.id });
        await db.update(users).set({ maxConversations: profile.agentMaxConversations })
          .where(inArray(users.email, ['alice@parley.local', 'bob@parley.local', 'carol@parley.local']));
        await db.update(users).set({ maxConversations: 0 }).where(eq(users.email, 'admin@parley.local'));
      },
    });
    const s = stack;
    say(`stack up in ${s.tempDir}: ${JSON.stringify(s.pids)}`);
    connection = await Connection.connect({ address: s.temporalAddress, channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 } });
    temporal = new Client({ connection, namespace: s.namespace });
    const t = temporal;
    const dispatcher = t.workflow.getHandle(`dispatcher-${s.deskId}`);
    harnessDb = new pg.Pool({ connectionString: s.databaseUrl, max: 2 });
    harnessDb.on('error', () => undefined); // PostgreSQL is killed on purpose
    const db = harnessDb;

    // The short run's first kill (its long Temporal outage) comes once a few visitors see their menu:
    // they are about to answer it, and more conversations are being started.
    let menus = 0;
    // Deadlines do not run while a part is down (set once the chaos exists).
    let downtimeSince = (_t: number) => 0;
    let menusReached: () => void = () => undefined;
    const firstKillAfter = profile.firstKillAtMenus
      ? new Promise<void>((resolve) => { menusReached = resolve; }).then(() => sleep(rng.fork('first-kill').float(0, 1_500)))
      : undefined;
    const world: World = {
      profile,
      apiUrls: s.apiUrls,
      agents,
      agentById: new Map(),
      acked,
      stats: { sendAttempts: 0, sendRetries: 0, liveMessages: 0, historyMessages: 0, reconnects: 0, refusedSends: 0 },
      log,
      presence: () => readPresence(db),
      transferOutcome: async (conversationId, transferId) => {
        const { rows } = transferId
          ? await db.query<{ outcome: string }>('SELECT outcome FROM transfers WHERE id = $1', [transferId])
          : await db.query<{ outcome: string }>('SELECT outcome FROM transfers WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1', [conversationId]);
        return rows[0]?.outcome ?? null;
      },
      onMenu: () => { menus++; if (menus === profile.firstKillAtMenus) menusReached(); },
      deadline: (ms) => new Deadline(ms, downtimeSince),
    };
    for (const [i, email] of ['alice@parley.local', 'bob@parley.local', 'carol@parley.local'].entries()) {
      const own = s.apiUrls[i % s.apiUrls.length];
      const a = await AgentClient.open(world, [own, ...s.apiUrls.filter((u) => u !== own)], email, PASSWORD, world.deadline(60_000));
      agents.push(a);
      world.agentById.set(a.userId, a);
    }
    say(`agents online: ${agents.map((a) => `${a.name} (max ${profile.agentMaxConversations}, ${a.bases[0]})`).join(', ')}`);

    // Dispatcher samples: no agent over capacity, no conversation held twice.
    let samples = 0;
    let sampleFailures = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          checkPresence(await world.presence(), add);
          samples++;
        } catch {
          sampleFailures++;
        }
        await sleep(500);
      }
    })();

    // A part that dies without being killed is a crash: recorded, then started again.
    ch = chaos(s, rng.fork('chaos'), { killsPerPart: profile.killsPerPart, gapMs: profile.killGapMs, downMs: profile.downMs, longTemporalOutages: profile.longTemporalOutages, longOutageMs: profile.longOutageMs, longOutageWithin: profile.longOutageWithin, firstKillAfter, log: say });
    const c = ch;
    downtimeSince = (t) => downtimeBetween(t, Date.now(), c.outages());
    say(`kill plan: ${c.describe()}`);
    let monitoring = true;
    // Supervised: the supervisor restarts a part that died by itself; that restart is the crash to report.
    if (s.supervised) {
      s.onRestart((r) => {
        if (!c.busy.has(r.name)) add('crash', `${r.name} died without being killed (${r.how}) and was restarted by the supervisor; its log ends with:\n${tail(s.logFile(r.name))}`);
      });
    }
    const monitor = (async () => {
      while (monitoring && !s.supervised) {
        await sleep(1_000);
        for (const part of s.parts()) {
          if (c.busy.has(part) || s.pids[part] !== null) continue;
          c.busy.add(part);
          try {
            add('crash', `${part} died without being killed; its log ends with:\n${tail(s.logFile(part))}`);
            await c.restart(part);
          } catch (err) {
            add('crash', `${part} could not be restarted: ${errText(err)}`);
          } finally {
            c.busy.delete(part);
          }
        }
      }
    })();

    // Conversations, started at seeded intervals while the kills go on.
    const kinds = planKinds(profile.conversations, rng.fork('kinds'));
    const starts = rng.fork('starts');
    const running: Array<Promise<void>> = [];
    for (const [i, kind] of kinds.entries()) {
      if (i > 0) await sleep(starts.float(...profile.startGapMs));
      running.push(runScenario(world, i, kind, rng.fork(`scenario-${i}`)).then((r) => {
        results.push(r);
        const outcome = r.error ? `FAILED: ${r.error}` : 'ok';
        say(`${r.name} ${outcome} (${((r.finishedAt! - r.startedAt) / 1000).toFixed(0)} s${r.transfer ? `, transfer ${r.transfer}` : ''})`);
      }));
    }
    await c.done;
    say(`all ${c.kills.length} kills done; waiting for the last conversations`);
    await Promise.all(running);
    monitoring = false;
    await monitor;

    // Live delivery after all the restarts: the bot's answer must reach a connected socket as an event.
    for (const url of s.apiUrls) {
      const probe = await liveProbe(url).catch((err) => ({ ok: false as const, conversationId: null, detail: errText(err) }));
      if (probe.conversationId) extraConversationIds.push(probe.conversationId);
      if (!probe.ok) add('live-delivery', `${url}: ${probe.detail}`);
      else log(`live probe ${url}: ok`);
    }

    say(`verifying...`);
    const ids = results.filter((r) => r.conversationId).map((r) => r.conversationId!);
    await settle(t, ids, 120_000, log);
    sampling = false;
    await sampler;
    // Everything has settled, so no signal waits for a task: the query is safe now (docs/faults.md).
    // Within ~10 s of a worker kill the server still sends queries to the dead worker's sticky queue,
    // where they time out (long seed 1297735915: the last kill was the worker, 2 s before this): retry.
    for (let attempt = 1; ; attempt++) {
      try {
        checkDispatcher(await dispatcher.query<DispatcherSnapshot>(dispatcherStateQuery), add, true);
        break;
      } catch (err) {
        log(`dispatcher query, attempt ${attempt}: ${errText(err)}`);
        if (attempt === 4) { add('dispatcher', `cannot query the dispatcher at the end: ${errText(err)}`); break; }
        await sleep(5_000);
      }
    }
    counts = await verify({ databaseUrl: s.databaseUrl, temporal: t, deskId: s.deskId, results, acked, extraConversationIds, violations, outages: c.outages(),
        log });
    for (const v of violations) if (!v.detail.startsWith('(')) log(`violation: ${v.kind}: ${v.detail}`);

    const st = world.stats;
    const byKind = (k: string) => results.filter((r) => r.kind === k).length;
    const transfers = { accepted: 0, expired: 0, skipped: 0 };
    for (const r of results) if (r.transfer) transfers[r.transfer]++;
    const pk = c.perKind();
    say('', false);
    say(`faults ${profile.name} run, seed ${seed}: ${violations.length ? 'FAIL' : 'PASS'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`, false);
    say(`  conversations:     ${counts.conversations} (${[...new Set(kinds)].map((k) => `${k} ${byKind(k)}`).join(', ')})`, false);
    say(`  kills (SIGKILL):   worker ${pk.worker}, api ${pk.api}, temporal ${pk.temporal}, postgres ${pk.postgres} (total ${c.kills.length})${s.supervised ? '; every restart by npm start\'s supervisor' : ''}`, false);
    say(`  messages checked:  ${counts.ackedChecked} acknowledged (visitor ${counts.ackedVisitor}, agent ${counts.ackedAgent}) + ${counts.workflowMessagesChecked} workflow-written`, false);
    say(`  lost:              ${counts.lost}`, false);
    say(`  duplicated:        ${counts.duplicated}`, false);
    say(`  client retries:    ${st.sendRetries} re-sends of ${st.sendAttempts} send attempts; ${st.reconnects} socket reconnects; ${st.refusedSends} sends refused`, false);
    say(`  delivery:          ${st.liveMessages} messages live, ${st.historyMessages} recovered from the transcript`, false);
    say(`  transfers:         accepted ${transfers.accepted}, expired ${transfers.expired}, not possible ${transfers.skipped}`, false);
    say(`  dispatcher:        ${samples} samples checked, ${sampleFailures} failed (Temporal down)`, false);
    say(`  workflows:         ${Object.entries(counts.workflows).map(([k, n]) => `${k} ${n}`).join(', ')}; task failures by cause ${JSON.stringify(counts.workflowTaskFailures)}`, false);
    say(`  webhook calls:     ${[...webhook.calls.values()].reduce((a, b) => a + b, 0)}`, false);
    say(`  violations:        ${violations.length ? '' : 'none'}`, false);
    const groups = new Map<string, number>();
    for (const v of violations) groups.set(v.kind, (groups.get(v.kind) ?? 0) + 1);
    for (const [k, n] of groups) say(`    ${k}: ${n}`, false);
  } catch (err) {
    harnessError = err;
    say(`HARNESS ERROR: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } finally {
    ch?.stop();
    for (const a of agents) a.dispose();
    await connection?.close().catch(() => undefined);
    await harnessDb?.end().catch(() => undefined);
    await stack?.stop().catch((err) => say(`stopping the stack: ${errText(err)}`));
    await webhook.close();
    const failed = violations.length > 0 || harnessError !== null;
    if (stack) {
      if (failed || values.keep) say(`faults: stack logs and data kept in ${stack.tempDir}`);
      else fs.rmSync(stack.tempDir, { recursive: true, force: true });
    }
    await new Promise<void>((r) => logStream.end(r));
  }
  return {
    mode: profile.name, seed, passed: violations.length === 0 && harnessError === null, durationSec: Math.round((Date.now() - t0) / 1000),
    conversations: results.length, kills: ch?.perKind() ?? {}, counts, violations: harnessError ? [...violations, { kind: 'stuck', detail: `harness error: ${errText(harnessError)}` }] : violations, logFile,
  };
}

function tail(file: string, chars = 1_500): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-chars).trim();
  } catch {
    return '(no log)';
  }
}

/** A fresh visitor on `baseUrl`: after a menu click, the bot's answer must arrive as a live socket event. */
async function liveProbe(baseUrl: string): Promise<{ ok: boolean; conversationId: string | null; detail: string }> {
  const deadline = new Deadline(30_000);
  const session = await request<{ token: string }>('probe session', [baseUrl], 'POST', '/api/visitor/session', { body: { displayName: 'Probe' }, deadline });
  const conv = await request<{ id: string }>('probe conversation', [baseUrl], 'POST', '/api/visitor/conversations', { token: session.token, body: {}, deadline });
  const socket = socketClient(baseUrl, session.token, { forceNew: true, reconnection: false });
  try {
    const live: ChatMessage[] = [];
    socket.on('message', (m: ChatMessage) => live.push(m));
    await connected(socket);
    // The menu may have been written before the socket joined; the transcript has it then.
    for (;;) {
      const h = await request<{ messages: ChatMessage[] }>('probe transcript', [baseUrl], 'GET', `/api/conversations/${conv.id}/messages`, { token: session.token, deadline });
      if (h.messages.some((m) => m.body.kind === 'menu')) break;
      if (deadline.passed()) return { ok: false, conversationId: conv.id, detail: 'no menu within 30 s' };
      await sleep(500);
    }
    const acked = await ack(socket, 'visitor:message', { clientId: crypto.randomUUID(), text: 'Nothing, thanks', choiceId: 'bye' }, 10_000);
    if (!acked?.ok) return { ok: false, conversationId: conv.id, detail: `probe message refused: ${JSON.stringify(acked)}` };
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      if (live.some((m) => m.body.kind === 'end')) return { ok: true, conversationId: conv.id, detail: 'ok' };
      await sleep(100);
    }
    return { ok: false, conversationId: conv.id, detail: `the bot's "end" message was not delivered live within 15 s (live events seen: ${live.map((m) => m.body.kind).join(', ') || 'none'})` };
  } finally {
    socket.close();
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  // Exit (not die) on Ctrl-C / SIGTERM: the exit hooks of the stack then kill what it started.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  const summary = await runFaults(process.argv.slice(2));
  process.exit(summary.passed ? 0 : 1);
}
