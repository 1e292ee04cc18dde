import { dispatcherWorkflow } from '../../../activities/workflow-types.js';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApiServer } from '../../../api/server.js';
import { conversations, transfers } from '../../../db/schema.js';
import { loadDispatcherSettings } from '../../../db/settings.js';
import type { AgentStateEvent, OfferEvent, TransferRequestEvent } from '../../../domain/contracts/events.js';
import type { AgentStatus } from '../../../domain/agents.js';
import { Worker } from '@temporalio/worker';
import { createParleyWorker } from '../../../worker/create-worker.js';
import { queueOrder } from '../../../domain/desk/assignment.js';
import { dispatcherStateQuery } from '../../../domain/contracts/dispatcher-workflow.js';
import type { DispatcherSnapshot, QueueEntry } from '../../../domain/desk/state.js';
import { emitAck, type VisitorClient } from '../../helpers/clients.js';
import { SECRET, TEST_RATE_LIMITS } from '../../helpers/stack.js';
import { startDesk, waitUntil, type Agent, type Desk, type Team } from './helpers.js';

/**
 * Many visitors and agents racing on two API processes and two worker processes, with a worker
 * restart, an API process replaced, status flips, dropped sockets, offers missed and rejected,
 * transfers accepted, rejected and expiring, visitors giving up — while the dispatcher continues as
 * new every few hundred history events. The dispatcher's snapshot is sampled throughout; PostgreSQL
 * is checked at the end.
 */

const AGENTS = [
  { name: 'Ada', max: 2, teams: ['alpha'] },
  { name: 'Bo', max: 3, teams: ['alpha'] },
  { name: 'Cy', max: 2, teams: ['alpha', 'beta'] },
  { name: 'Di', max: 3, teams: ['beta'] },
  { name: 'Ed', max: 2, teams: ['beta'] },
];
const ORDERED_VISITORS = 24;
const CHAOS_VISITORS = 18;
/** Generous: on a loaded 2-core machine an accept (which waits for the projection) can take seconds. */
const ACK_MS = 30_000;

/** Seeded PRNG (mulberry32): the same decisions every run, so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Mode = 'ordered' | 'chaos' | 'settle' | 'drain';

describe('routing: correctness under concurrency and restarts', () => {
  let desk: Desk;
  let extraWorker: Awaited<ReturnType<typeof createParleyWorker>> | null = null;
  let extraRunning: Promise<void> | null = null;

  beforeAll(async () => {
    desk = await startDesk({
      apiProcesses: 2,
      routing: { serviceMode: 'manual', offerTimeoutSec: 2, transferConfirmation: true, transferTimeoutSec: 1.5, disconnectGraceSec: 1.5, strategy: 'least-busy' },
    });
  });
  const loops = { chaos: false, sampling: false };
  afterAll(async () => {
    loops.chaos = false;
    loops.sampling = false;
    const bounded = (what: string, p: Promise<unknown>) =>
      Promise.race([p, delay(30_000).then(() => console.warn(`[concurrency] teardown: ${what} did not finish in 30 s`))]);
    await bounded('stack', desk?.close() ?? Promise.resolve());
    if (extraWorker) {
      const w = extraWorker;
      w.worker.shutdown();
      await bounded('second worker', (extraRunning ?? Promise.resolve()).then(() => w.close()));
    }
  });

  it('never over-assigns, never double-assigns, never skips the queue, keeps FIFO/VIP order and loses nothing', async () => {
    const { stack } = desk;
    const rnd = prng(4242);
    const problems: string[] = [];
    const stats: Record<string, number> = {};
    const count = (k: string) => { stats[k] = (stats[k] ?? 0) + 1; };
    let mode: Mode = 'ordered';

    // The dispatcher continues as new every ~300 history events (started here, before any API does).
    const dispatcher = stack.temporal.workflow.getHandle(`dispatcher-${stack.deskId}`);
    const first = await stack.temporal.workflow.start(dispatcherWorkflow, {
      workflowId: `dispatcher-${stack.deskId}`, taskQueue: stack.taskQueue,
      args: [{ deskId: stack.deskId, settings: await loadDispatcherSettings(stack.database.db), historyLimit: 300 }],
    });

    // teams and agents, spread over both API processes
    const teams: Record<string, Team> = { alpha: await desk.team({ name: 'Alpha' }), beta: await desk.team({ name: 'Beta' }) };
    interface Bot { agent: Agent; max: number; teamIds: string[]; desired: AgentStatus; serving: Set<string> }
    const bots: Bot[] = [];
    for (const [i, a] of AGENTS.entries()) {
      const agent = await desk.agent({ name: a.name, max: a.max, teams: a.teams.map((t) => teams[t]), online: false, api: i });
      expect(await agent.setStatus('busy')).toMatchObject({ ok: true });
      bots.push({ agent, max: a.max, teamIds: a.teams.map((t) => teams[t].id), desired: 'busy', serving: new Set() });
    }
    const botOf = (agentId: string) => bots.find((b) => b.agent.userId === agentId);

    // ---- the agents' behaviour ------------------------------------------------------------------
    const ackOk = async (what: string, p: Promise<any>): Promise<any> => {
      try {
        const res = await p;
        if (!res.ok && res.error?.code === 'internal') problems.push(`${what}: internal error ${res.error.message}`);
        count(`${what}:${res.ok ? 'ok' : res.error.code}`);
        return res;
      } catch (err) {
        count(`${what}:no-ack`); // the socket was down (dropped on purpose, or its API replaced)
        return { ok: false, error: { code: 'no-ack', message: String(err) } };
      }
    };
    const setStatus = (bot: Bot, status: AgentStatus) => emitAck(bot.agent.socket, 'agent:status', { status }, 5_000);
    const closed = new Set<string>();
    const serve = async (bot: Bot | undefined, conversationId: string) => {
      if (!bot || bot.serving.has(conversationId) || (closed.has(conversationId) && mode !== 'drain')) return;
      bot.serving.add(conversationId);
      try {
        if (mode === 'ordered') {
          // agent:state can arrive before the projection names the agent: then writing is refused for a moment
          for (let i = 0; i < 50; i++) {
            const res = await ackOk('greet', bot.agent.send(conversationId, `Hi from ${bot.agent.name}`));
            if (res.ok || res.error.code !== 'forbidden') break;
            await delay(100);
          }
          await delay(50 + rnd() * 150);
        } else {
          await delay(mode === 'drain' ? 20 : 150 + rnd() * 700);
        }
        if (mode === 'chaos' && rnd() < 0.5) {
          const toTeam = rnd() < 0.4;
          const target = toTeam
            ? { toTeamId: bot.teamIds.includes(teams.alpha.id) ? teams.beta.id : teams.alpha.id }
            : { toAgentId: bots[Math.floor(rnd() * bots.length)].agent.userId };
          const res = await ackOk('transfer', emitAck(bot.agent.socket, 'agent:transfer', { conversationId, ...target }, ACK_MS));
          if (res.ok) count(`transfer-outcome:${res.outcome}`);
          return;
        }
        if ((await ackOk('close', emitAck(bot.agent.socket, 'agent:close', { conversationId }, ACK_MS))).ok) closed.add(conversationId);
      } finally {
        bot.serving.delete(conversationId);
      }
    };
    for (const bot of bots) {
      const { socket } = bot.agent;
      socket.on('offer', (o: OfferEvent) => void (async () => {
        const r = rnd();
        if (mode === 'chaos' && r < 0.15) return void await ackOk('reject', emitAck(socket, 'agent:reject', { conversationId: o.conversationId }, ACK_MS));
        if (mode === 'chaos' && r < 0.3) return void count('offer-ignored');
        if (mode === 'chaos') await delay(rnd() * 150);
        const res = await ackOk('accept', emitAck(socket, 'agent:accept', { conversationId: o.conversationId }, ACK_MS));
        if (res.ok) void serve(bot, o.conversationId);
      })());
      socket.on('transfer:request', (t: TransferRequestEvent) => void (async () => {
        const r = rnd();
        if (mode === 'chaos' && r < 0.2) return void count('transfer-ignored');
        const accept = !(mode === 'chaos' && r < 0.4);
        const res = await ackOk(accept ? 'transfer-accept' : 'transfer-reject', emitAck(socket, 'agent:transfer-answer', { transferId: t.transferId, accept }, ACK_MS));
        if (res.ok && accept) void serve(bot, t.conversationId);
      })());
      // whatever the agent holds (assigned, transferred in, moved) gets served eventually
      socket.on('agent:state', (s: AgentStateEvent) => { for (const id of s.conversationIds) void serve(bot, id); });
    }

    // ---- invariants, sampled from the dispatcher ------------------------------------------------
    const everLeft = new Set<string>();
    let order: Record<string, string[]> = {};
    let samples = 0;
    const check = (s: DispatcherSnapshot) => {
      samples++;
      const held = new Map<string, string>();
      for (const a of Object.values(s.agents)) {
        if (a.conversationIds.length + a.offeredIds.length > a.maxConversations) {
          problems.push(`${a.name} over its limit: ${a.conversationIds.length} held + ${a.offeredIds.length} offered > ${a.maxConversations}`);
        }
        for (const id of a.conversationIds) {
          if (held.has(id)) problems.push(`${id} held by ${held.get(id)} and ${a.name}`);
          held.set(id, a.name);
        }
      }
      const offered = new Set<string>();
      for (const o of s.offers) {
        if (offered.has(o.conversationId) || held.has(o.conversationId)) problems.push(`${o.conversationId} offered twice or offered while held`);
        offered.add(o.conversationId);
        if (!s.agents[o.agentId]?.offeredIds.includes(o.conversationId)) problems.push(`offer of ${o.conversationId} not counted against ${o.agentId}`);
      }
      for (const t of s.transfers) {
        if (!s.agents[t.fromAgentId]?.conversationIds.includes(t.conversationId)) problems.push(`transfer of ${t.conversationId} from an agent who does not hold it`);
      }
      for (const e of s.queue) {
        if (held.has(e.conversationId) || offered.has(e.conversationId)) problems.push(`${e.conversationId} queued while held/offered`);
        const free = Object.values(s.agents).find((a) => a.status === 'online' && a.maxConversations > 0
          && a.conversationIds.length + a.offeredIds.length < a.maxConversations && (e.teamId === null || a.teamIds.includes(e.teamId)));
        if (free) problems.push(`${e.conversationId} waits while ${free.name} could take it`);
      }
      // FIFO/VIP: while no one gives up or declines, conversations leave each team queue in order
      if (mode === 'ordered') {
        const queued = new Set(s.queue.map((e) => e.conversationId));
        for (const ids of Object.values(order)) {
          let gap = false;
          for (const id of ids) {
            if (queued.has(id) && !everLeft.has(id)) gap = true;
            else if (gap && !everLeft.has(id)) problems.push(`${id} left the queue before one ahead of it`);
            if (!queued.has(id)) everLeft.add(id);
          }
        }
      }
    };
    loops.sampling = true;
    const sampler = (async () => {
      while (loops.sampling) {
        try { check(await dispatcher.query(dispatcherStateQuery)); } catch (err) {
          count('sample-failed');
          if (/failed state/.test(String((err as Error).cause ?? err)) && !stats['history-dumped']) {
            count('history-dumped');
            const h = await dispatcher.fetchHistory();
            (await import('node:fs')).writeFileSync('/tmp/dispatcher-fail.json', JSON.stringify(h));
            problems.push('the dispatcher workflow task is failing (history in /tmp/dispatcher-fail.json)');
          }
        }
        await delay(100); // the dispatcher buffers few queries while it works: do not crowd out the APIs' own
      }
    })();

    const diagnose = async () => {
      const s = await desk.snapshot();
      const rows = await stack.database.db.select({ id: conversations.id, status: conversations.status, agentId: conversations.agentId }).from(conversations);
      const byStatus: Record<string, number> = {};
      for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      return JSON.stringify({
        byStatus, stats, problems: problems.slice(0, 10),
        queue: s.queue.map((e) => e.conversationId.slice(0, 8)), offers: s.offers.map((o) => `${o.conversationId.slice(0, 8)}→${s.agents[o.agentId]?.name}`),
        agents: Object.values(s.agents).map((a) => `${a.name}:${a.status}:${a.conversationIds.map((i) => i.slice(0, 8)).join(',')}/${a.offeredIds.map((i) => i.slice(0, 8)).join(',')}`),
        serving: bots.map((b) => `${b.agent.name}:${[...b.serving].map((i) => i.slice(0, 8)).join(',')}`),
      }, null, 1);
    };

    // ---- phase 1: a crowd queues while every agent is busy; then all come online at once -------
    const visitors: VisitorClient[] = [];
    const vipIds = new Set<string>();
    const arrive = async (i: number) => {
      const team = i % 3 === 0 ? teams.beta : teams.alpha;
      const vip = i % 6 === 5;
      let v: VisitorClient | undefined;
      for (let attempt = 0; !v; attempt++) {
        // API #2 may be down for a moment while it is replaced: come back like a browser would
        v = await desk.visitor({ team, vip, name: `V${i}`, api: i + attempt }).catch(async (err) => {
          if (attempt > 20) throw err;
          count('visitor-retry');
          await delay(200);
          return undefined;
        });
      }
      if (vip) vipIds.add(v.conversation.id);
      visitors.push(v);
      return v;
    };
    await Promise.all(Array.from({ length: ORDERED_VISITORS }, (_, i) => arrive(i)));
    const queued = await waitUntil(async () => {
      const s = await desk.snapshot();
      return s.queue.length === ORDERED_VISITORS ? s : null;
    }, 'every visitor is queued', 30_000);
    order = {};
    for (const e of [...queued.queue].sort(queueOrder)) (order[e.teamId!] ??= []).push(e.conversationId);
    for (const ids of Object.values(order)) {
      const vips = ids.filter((id) => vipIds.has(id)).length;
      expect(ids.slice(0, vips).every((id) => vipIds.has(id))).toBe(true); // VIPs at the head
    }
    await Promise.all(bots.map(async (b) => { b.desired = 'online'; expect(await b.agent.setStatus('online')).toMatchObject({ ok: true }); }));
    await waitUntil(async () => {
      const rows = await stack.database.db.select({ status: conversations.status }).from(conversations)
        .where(inArray(conversations.id, visitors.map((v) => v.conversation.id)));
      return rows.every((r) => r.status === 'ended');
    }, 'the first crowd is served and closed', 90_000).catch(async (err) => { throw new Error(`${(err as Error).message}\n${await diagnose()}`); });
    check(await desk.snapshot());
    expect(Object.values(order).flat().filter((id) => !everLeft.has(id))).toEqual([]);
    // agents on one API reached visitors on the other, and back
    for (const v of visitors) await v.waitFor('message', (m: { sender: string; body: { text?: string } }) => m.sender === 'agent' && !!m.body.text?.startsWith('Hi from'));

    // ---- phase 2: chaos ---------------------------------------------------------------------------
    mode = 'chaos';
    const chaos: Array<Promise<unknown>> = [];
    loops.chaos = true;
    // visitors keep arriving; some give up while waiting
    chaos.push((async () => {
      for (let i = ORDERED_VISITORS; i < ORDERED_VISITORS + CHAOS_VISITORS; i++) {
        const v = await arrive(i);
        if (rnd() < 0.2) {
          void (async () => {
            await delay(100 + rnd() * 700);
            const row = await desk.row(v.conversation.id);
            if (row.status === 'queued' || row.status === 'offered') await ackOk('visitor-close', emitAck(v.socket, 'visitor:close', {}, ACK_MS));
          })();
        }
        await delay(250 + rnd() * 250);
      }
    })());
    // agents flip between online, busy, away and offline
    chaos.push((async () => {
      while (loops.chaos) {
        const bot = bots[Math.floor(rnd() * bots.length)];
        const status = (['busy', 'away', 'offline', 'online'] as const)[Math.floor(rnd() * 4)];
        bot.desired = status;
        await ackOk('status', setStatus(bot, status));
        await delay(200 + rnd() * 300);
        if (bot.desired !== 'online') { bot.desired = 'online'; await ackOk('status', setStatus(bot, 'online')); }
      }
    })());
    // sockets drop and come back within the grace period
    chaos.push((async () => {
      while (loops.chaos) {
        await delay(700 + rnd() * 700);
        const bot = bots[Math.floor(rnd() * bots.length)];
        bot.agent.socket.disconnect();
        await delay(50 + rnd() * 300);
        bot.agent.socket.connect();
        count('socket-drop');
      }
    })());
    // an agent who finds itself offline without meaning to (grace period passed) comes back, like a person would
    chaos.push((async () => {
      while (loops.chaos) {
        await delay(400);
        const s = await desk.snapshot().catch(() => null);
        for (const b of bots) {
          if (s && b.desired === 'online' && s.agents[b.agent.userId]?.status === 'offline' && b.agent.socket.connected) {
            count('came-back-online');
            await ackOk('status', setStatus(b, 'online'));
          }
        }
      }
    })());
    // infrastructure: a second worker joins, the first restarts, API #2 is replaced
    const infra = (async () => {
      await delay(1_500);
      extraWorker = await createParleyWorker({
        database: stack.database, temporalAddress: inject('temporalAddress'), namespace: 'default', taskQueue: stack.taskQueue,
        ...(inject('workflowBundlePath') ? { workflowBundle: { codePath: inject('workflowBundlePath') } } : {}),
      });
      extraRunning = extraWorker.worker.run();
      await delay(1_500);
      await stack.restartWorker();
      count('worker-restarted');
      await delay(1_500);
      const port = Number(new URL(stack.baseUrls[1]).port);
      await stack.apis[1].close();
      const api = await createApiServer({
        database: stack.database, temporalAddress: inject('temporalAddress'), namespace: 'default', taskQueue: stack.taskQueue,
        deskId: stack.deskId, temporalUiUrl: 'http://localhost:8233', secret: SECRET, rateLimits: TEST_RATE_LIMITS,
      });
      await api.listen(port, '127.0.0.1');
      stack.apis[1] = api;
      count('api-replaced');
    })();
    await chaos[0];
    await infra;
    await delay(3_000);
    loops.chaos = false;
    await Promise.all(chaos.slice(1));

    // ---- settle: everyone online and cooperative; the desk and PostgreSQL must agree --------------
    mode = 'settle';
    for (const b of bots) { b.desired = 'online'; await waitUntil(() => b.agent.socket.connected, `${b.agent.name} is connected`); await ackOk('status', b.agent.setStatus('online')); }
    // every conversation of this desk, including any whose visitor client gave up half-way
    const mismatches = async (): Promise<string[]> => {
      const s = await desk.snapshot();
      const rows = await stack.database.db.select().from(conversations);
      const out: string[] = [];
      const holder = new Map<string, string>();
      for (const a of Object.values(s.agents)) for (const id of a.conversationIds) holder.set(id, a.agentId);
      const waiting = new Set<string>([...s.queue.map((e: QueueEntry) => e.conversationId), ...s.offers.map((o) => o.conversationId)]);
      for (const r of rows) {
        if (r.status === 'assigned') {
          if (!r.agentId || holder.get(r.id) !== r.agentId) out.push(`${r.id}: projection says ${r.agentId}, dispatcher says ${holder.get(r.id) ?? 'nobody'}`);
        } else if (r.status === 'queued' || r.status === 'offered') {
          if (!waiting.has(r.id)) out.push(`${r.id}: ${r.status} in PostgreSQL but not waiting at the dispatcher (lost)`);
        } else if (r.status === 'ended') {
          if (holder.has(r.id) || waiting.has(r.id)) out.push(`${r.id}: ended but still held or waiting at the dispatcher`);
        } else {
          out.push(`${r.id}: unexpected status ${r.status}`);
        }
      }
      return out;
    };
    let last: string[] = [];
    await waitUntil(async () => { last = await mismatches(); return last.length === 0; }, 'PostgreSQL and the dispatcher agree on every conversation', 20_000)
      .catch((err) => { throw new Error(`${(err as Error).message}\n${last.join('\n')}`); });
    // per agent, from PostgreSQL: never more than the limit
    const open = await stack.database.db.select({ agentId: conversations.agentId }).from(conversations).where(eq(conversations.status, 'assigned'));
    for (const b of bots) expect(open.filter((r) => r.agentId === b.agent.userId).length).toBeLessThanOrEqual(b.max);

    // ---- drain: everything gets served and closed ---------------------------------------------------
    mode = 'drain';
    await waitUntil(async () => {
      const s = await desk.snapshot();
      for (const a of Object.values(s.agents)) for (const id of a.conversationIds) void serve(botOf(a.agentId), id);
      const rows = await stack.database.db.select({ status: conversations.status }).from(conversations);
      return rows.every((r) => r.status === 'ended') && s.queue.length === 0 && s.offers.length === 0 && s.transfers.length === 0
        && Object.values(s.agents).every((a) => a.conversationIds.length === 0 && a.offeredIds.length === 0);
    }, 'every conversation is closed and the desk is empty', 45_000);
    loops.sampling = false;
    await sampler;

    // Every transfer's outcome is recorded (by an activity that may still be finishing as the desk empties).
    let rows = await stack.database.db.select().from(transfers);
    const unresolved = () => rows.filter((t) => t.outcome === 'pending' || t.resolvedAt === null);
    await waitUntil(async () => { rows = await stack.database.db.select().from(transfers); return unresolved().length === 0; }, 'every transfer outcome is recorded', 15_000)
      .catch(() => undefined);
    expect(unresolved()).toEqual([]);
    for (const t of rows) count(`transfer-recorded:${t.outcome}`);
    const { runId } = await dispatcher.describe();
    expect(runId).not.toBe(first.firstExecutionRunId); // it continued as new along the way

    // Every run of the dispatcher, and every conversation, replays against the code without a
    // non-determinism error (a worker that lost its cache replays them; here we force it).
    const histories: Array<{ workflowId: string; history: Awaited<ReturnType<typeof dispatcher.fetchHistory>> }> = [];
    for await (const wf of stack.temporal.workflow.list({ query: `TaskQueue = "${stack.taskQueue}"` })) {
      histories.push({ workflowId: `${wf.workflowId}/${wf.runId}`, history: await stack.temporal.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory() });
    }
    expect(histories.filter((h) => h.workflowId.startsWith('dispatcher-')).length).toBeGreaterThan(1);
    const nondeterministic: string[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') } }, histories)) {
      if (r.error) {
        nondeterministic.push(`${r.workflowId}: ${r.error.message}`);
        const h = histories.find((x) => x.workflowId === r.workflowId);
        (await import('node:fs')).writeFileSync(`/tmp/nde-${r.workflowId.replace(/\//g, '_')}.json`, JSON.stringify(h?.history));
      }
    }
    count(`replayed:${histories.length}`);
    expect(nondeterministic).toEqual([]);

    console.log(`[concurrency] ${visitors.length} conversations, ${samples} samples, stats:`, JSON.stringify(stats));
    expect(problems).toEqual([]);
    expect(samples).toBeGreaterThan(20);
    expect(stats['worker-restarted']).toBe(1);
    expect(stats['api-replaced']).toBe(1);
  }, 240_000);
});
