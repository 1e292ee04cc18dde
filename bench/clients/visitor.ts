/**
 * Visitor client process: many real visitors (HTTP + Socket.IO) against Parley or the bare relay.
 * Keeps named pools of conversations between commands; reports latency samples in ms.
 */
import { performance } from 'node:perf_hooks';
import type { ChatMessage } from '../../domain/messages.js';
import { ack } from '../../client/socket.js';
import { emit, serve } from '../lib/ipc.js';
import { connect, connectVisitor, emitAck, http, Inbox, isBot, openVisitor, visitorSend, type AnySocket, type VisitorHandle } from '../lib/parley-client.js';
import { between, sleep } from '../lib/stats.js';

const NAME = process.env.BENCH_CLIENT_NAME ?? 'visitor';
const pools = new Map<string, VisitorHandle[]>();
const relay = new Map<string, { socket: AnySocket; inbox: Inbox }>();
let counter = 0;

const pool = (name: string) => {
  if (!pools.has(name)) pools.set(name, []);
  return pools.get(name)!;
};

/** Wall-clock ms with sub-ms resolution, comparable across processes on this machine. */
const epochMs = () => performance.timeOrigin + performance.now();
const textOf = (m: ChatMessage) => ('text' in m.body ? m.body.text : '');
const after = (seq: number, pred: (m: ChatMessage) => boolean) => (m: ChatMessage) => m.seq > seq && pred(m);

/** Runs `task` with at most `concurrency` at once until `count` done or `until` passes. */
async function runPool(concurrency: number, opts: { count?: number; until?: number }, task: (i: number) => Promise<void>): Promise<void> {
  let started = 0;
  const lane = async () => {
    for (;;) {
      if (opts.count !== undefined && started >= opts.count) return;
      if (opts.until !== undefined && Date.now() >= opts.until) return;
      await task(started++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Opens one conversation and takes it as far as `stage`. */
async function openOne(apiUrl: string, stage: 'menu' | 'queued' | 'assigned'): Promise<VisitorHandle> {
  const v = await openVisitor(apiUrl, `Bench ${NAME} ${++counter}`);
  try {
    await v.inbox.waitFor((m) => m.body.kind === 'menu', 30_000, 'menu');
    if (stage === 'menu') return v;
    await goToAgent(v);
    if (stage === 'queued') {
      await v.inbox.waitFor((m) => m.body.kind === 'notice' && textOf(m).startsWith('One moment'), 30_000, 'handoff notice');
    } else {
      await v.inbox.waitFor((m) => m.body.kind === 'notice' && textOf(m).startsWith('You are now chatting'), 60_000, 'assigned notice');
    }
    return v;
  } catch (err) {
    v.socket?.close();
    // Say where the conversation got stuck (projection status), for the report.
    const summary = await http<{ status: string; agentId: string | null; queuePosition: number | null }>(apiUrl, 'GET', `/api/conversations/${v.conversationId}`, { token: v.token }).catch(() => null);
    throw new Error(`${err instanceof Error ? err.message : String(err)} [conversation ${v.conversationId} status=${summary?.status} agent=${summary?.agentId} queue=${summary?.queuePosition}]`, { cause: err });
  }
}

/** Menu → "Talk to an agent"; answers the bench flow's form (order number) when it asks. */
async function goToAgent(v: VisitorHandle): Promise<void> {
  const seq = v.inbox.lastSeq();
  await visitorSend(v, 'Talk to an agent', 'agent');
  const next = await v.inbox.waitFor(after(seq, (m) => isBot(m) && (m.body.kind === 'form' || m.body.kind === 'notice')), 30_000, 'form or handoff');
  if (next.body.kind === 'form') await visitorSend(v, 'A-12345');
}

serve({
  /** Opens `count` conversations into `pool`, `concurrency` at a time, each to `stage`. */
  async open(a: { apiUrls: string[]; count: number; concurrency: number; stage: 'menu' | 'queued' | 'assigned'; pool: string }) {
    const t0 = performance.now();
    let failed = 0;
    const errors: string[] = [];
    await runPool(a.concurrency, { count: a.count }, async (i) => {
      try {
        pool(a.pool).push(await openOne(a.apiUrls[i % a.apiUrls.length], a.stage));
        if (pool(a.pool).length % 100 === 0) emit('opened', { pool: a.pool, n: pool(a.pool).length });
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push(String(err));
      }
    });
    return { opened: pool(a.pool).length, failed, errors, ms: performance.now() - t0 };
  },

  conversationIds(a: { pool: string }) {
    return pool(a.pool).map((v) => v.conversationId);
  },

  /** A second socket per conversation of `pool`, to the bare relay, in the conversation's room. */
  async relayConnect(a: { url: string; pool: string; concurrency: number }) {
    const list = pool(a.pool);
    await runPool(a.concurrency, { count: list.length }, async (i) => {
      const v = list[i];
      const socket = await connect(a.url, { token: v.token, role: 'visitor', conversationId: v.conversationId });
      const inbox = new Inbox();
      socket.on('message', (m: ChatMessage) => inbox.deliver(m));
      relay.set(v.conversationId, { socket, inbox });
    });
    return { connected: relay.size };
  },

  /**
   * Chat round trips: each of the first `active` conversations sends "ping <token> <sent at>" after a
   * think time uniform in [0.5, 1.5] × intervalMs; the agent process answers "pong <token> <sent at>";
   * the sample is send → the answer arriving here (visitor → API → agent → API → visitor). The
   * timestamps split it into halves (`back`: agent → visitor), and the messages' createdAt (the
   * INSERT's transaction time) splits each half into before/after the insert.
   */
  async delivery(a: { pool: string; target: 'parley' | 'relay'; active: number; intervalMs: number; durationMs: number; warmupMs: number }) {
    const list = pool(a.pool).slice(0, a.active);
    const samples: number[] = [];
    const back: number[] = [];
    const backInsert: number[] = [];
    let errors = 0;
    let sent = 0;
    const firstError: string[] = [];
    const start = Date.now();
    const end = start + a.durationMs;
    await Promise.all(list.map(async (v, idx) => {
      const socket = a.target === 'parley' ? v.socket! : relay.get(v.conversationId)!.socket;
      const inbox = a.target === 'parley' ? v.inbox : relay.get(v.conversationId)!.inbox;
      await sleep(Math.random() * a.intervalMs);
      let n = 0;
      while (Date.now() < end) {
        const token = `${idx}.${n++}.${Math.random().toString(36).slice(2, 8)}`;
        const t0 = performance.now();
        sent++;
        const reply = inbox.waitFor((m) => m.sender === 'agent' && textOf(m).startsWith(`pong ${token} `), 30_000, 'pong');
        const acked = ack(socket, 'visitor:message', { clientId: crypto.randomUUID(), text: `ping ${token} ${epochMs()}` }, 30_000);
        try {
          const pong = await reply;
          const ms = performance.now() - t0;
          if (Date.now() - start >= a.warmupMs) {
            samples.push(ms);
            // agent → visitor half: the agent's send time is in the text, the insert time is createdAt
            const agentSent = Number(textOf(pong).split(' ')[2]);
            back.push(epochMs() - agentSent);
            backInsert.push(Date.parse(pong.createdAt) - agentSent);
          }
          const res = await acked;
          if (res?.ok === false) throw new Error(`ack: ${res.error?.message}`);
        } catch (err) {
          errors++;
          if (firstError.length < 3) firstError.push(String(err));
          void acked.catch(() => {});
        }
        const wait = between(0.5, 1.5) * a.intervalMs;
        if (Date.now() + wait >= end) break;
        await sleep(wait);
      }
    }));
    return { samples, back, backInsert, errors, firstError, ops: sent };
  },

  /**
   * Bot replies: `concurrency` visitors at the main menu, each repeatedly picking "Opening hours"
   * and timing send → the bot's next text (the opening-hours answer), then waiting for the menu it
   * shows again and thinking `thinkMs`. New conversations, opened before timing starts.
   */
  async botLoop(a: { apiUrl: string; concurrency: number; durationMs: number; warmupMs: number; thinkMs: number }) {
    const visitors = await Promise.all(Array.from({ length: a.concurrency }, () => openOne(a.apiUrl, 'menu')));
    const samples: number[] = [];
    // The slowest replies with their conversation and send time, to read against the workflow histories.
    const traced: Array<{ conversationId: string; sentAt: number; ms: number }> = [];
    let errors = 0;
    let ops = 0;
    const firstError: string[] = [];
    const start = Date.now();
    await Promise.all(visitors.map(async (v) => {
      await sleep(Math.random() * a.thinkMs);
      while (Date.now() < start + a.durationMs) {
        ops++;
        try {
          const sentAt = Date.now();
          const got = await askHours(v, sentAt - start >= a.warmupMs);
          samples.push(...got);
          for (const ms of got) traced.push({ conversationId: v.conversationId, sentAt, ms });
        } catch (err) {
          errors++;
          if (firstError.length < 3) firstError.push(String(err));
          await sleep(1000);
        }
        await sleep(between(0.5, 1.5) * a.thinkMs);
      }
    }));
    for (const v of visitors) v.socket?.close();
    const slowest = traced.sort((x, y) => y.ms - x.ms).slice(0, 20);
    return { samples, errors, firstError, ops, slowest };
  },

  /**
   * Conversation starts, closed loop: session + conversation + socket + history until the welcome
   * text and the first menu are in; then the socket closes and the conversation stays open (idle).
   */
  async starts(a: { apiUrls: string[]; concurrency: number; durationMs?: number; count?: number; pool: string }) {
    const samples: number[] = [];
    let failed = 0;
    const errors: string[] = [];
    const t0 = Date.now();
    await runPool(a.concurrency, { count: a.count, until: a.durationMs ? t0 + a.durationMs : undefined }, async (i) => {
      const s = performance.now();
      try {
        const v = await openVisitor(a.apiUrls[i % a.apiUrls.length], `Bench ${NAME} ${++counter}`);
        try {
          await v.inbox.waitFor((m) => m.body.kind === 'text' && isBot(m), 30_000, 'welcome');
          await v.inbox.waitFor((m) => m.body.kind === 'menu', 30_000, 'menu');
        } finally {
          v.socket?.close();
          v.socket = null;
          v.inbox.close();
        }
        samples.push(performance.now() - s);
        const list = pool(a.pool);
        list.push({ ...v, inbox: new Inbox(8) });
        if (list.length % 250 === 0) emit('started', { n: list.length });
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push(String(err));
      }
    });
    return { completed: samples.length, failed, errors, samples, elapsedMs: Date.now() - t0, total: pool(a.pool).length };
  },

  /**
   * Bot replies in conversations the worker has evicted: picks random conversations of `pool` with
   * index in [from, to), reconnects the visitor, then times "Opening hours" → bot text like botLoop.
   */
  async evicted(a: { pool: string; from: number; to: number; concurrency: number; samples: number; thinkMs: number }) {
    const list = pool(a.pool);
    const candidates = list.slice(a.from, a.to);
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    const samples: number[] = [];
    let errors = 0;
    const firstError: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: a.concurrency }, async () => {
      while (next < Math.min(a.samples, candidates.length)) {
        const v = candidates[next++];
        try {
          v.inbox = new Inbox();
          await connectVisitor(v);
          samples.push(...await askHours(v, true));
        } catch (err) {
          errors++;
          if (firstError.length < 3) firstError.push(String(err));
        } finally {
          v.socket?.close();
          v.socket = null;
        }
        await sleep(between(0.5, 1.5) * a.thinkMs);
      }
    }));
    return { samples, errors, firstError };
  },

  /**
   * Complete conversations, closed loop: start → welcome + menu → "Talk to an agent" → form answer →
   * assigned → two visitor messages each answered by the agent → the agent closes → rating → thanks.
   * Counts conversations whose rating thanks arrived inside [warmupMs, durationMs].
   */
  async complete(a: { apiUrls: string[]; concurrency: number; durationMs: number; warmupMs: number }) {
    const start = Date.now();
    let counted = 0;
    let failed = 0;
    const errors: string[] = [];
    const durations: number[] = [];
    /** Where conversations slower than 10 s spent their time (ms per step). */
    const slow: Array<Record<string, number | string>> = [];
    await runPool(a.concurrency, { until: start + a.durationMs }, async (i) => {
      const s = performance.now();
      const steps: Record<string, number> = {};
      let last = s;
      const step = (name: string) => { const now = performance.now(); steps[name] = Math.round(now - last); last = now; };
      let v: VisitorHandle | null = null;
      try {
        v = await openVisitor(a.apiUrls[i % a.apiUrls.length], `Bench ${NAME} ${++counter}`);
        await v.inbox.waitFor((m) => m.body.kind === 'menu', 30_000, 'menu');
        step('menu');
        await goToAgent(v);
        step('form+handoff');
        await v.inbox.waitFor((m) => m.body.kind === 'notice' && textOf(m).startsWith('You are now chatting'), 60_000, 'assigned');
        step('assigned');
        for (const [n, q] of ['Q: Where is my order?', 'Q: Thanks, one more question'].entries()) {
          const seq = v.inbox.lastSeq();
          await visitorSend(v, q);
          await v.inbox.waitFor(after(seq, (m) => m.sender === 'agent'), 30_000, 'agent answer');
          step(`answer${n + 1}`);
        }
        await v.inbox.waitFor((m) => m.body.kind === 'rating-invite', 30_000, 'rating invite');
        step('closed');
        await emitAck(v.socket!, 'visitor:rate', { score: 5, requestId: crypto.randomUUID() });
        await v.inbox.waitFor((m) => m.body.kind === 'rating-result', 30_000, 'rating thanks');
        step('rated');
        const t = Date.now() - start;
        if (t >= a.warmupMs && t <= a.durationMs) counted++;
        durations.push(performance.now() - s);
        if (performance.now() - s > 10_000) slow.push({ ...steps, conversationId: v.conversationId });
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push(String(err));
      } finally {
        v?.socket?.close();
        v?.inbox.close();
      }
    });
    return { counted, windowMs: a.durationMs - a.warmupMs, failed, errors, durations, slow: slow.slice(0, 10) };
  },

  async closeAll() {
    for (const list of pools.values()) for (const v of list) v.socket?.close();
    for (const r of relay.values()) r.socket.close();
    pools.clear();
    relay.clear();
    return true;
  },

  async closeRelay() {
    for (const r of relay.values()) r.socket.close();
    relay.clear();
    return true;
  },

  /** Takes over conversations started elsewhere (bench/clients/bulk.ts), appended in the given order. */
  adopt(a: { pool: string; apiUrl: string; handles: Array<{ token: string; visitorId: string; conversationId: string }> }) {
    for (const h of a.handles) pool(a.pool).push({ ...h, apiUrl: a.apiUrl, socket: null, inbox: new Inbox(8) });
    return pool(a.pool).length;
  },

  size(a: { pool: string }) {
    return pool(a.pool).length;
  },
});

/** "Opening hours" → the bot's answer (timed) → the menu again. */
async function askHours(v: VisitorHandle, record: boolean): Promise<number[]> {
  const seq = v.inbox.lastSeq();
  const t0 = performance.now();
  const answer = v.inbox.waitFor(after(seq, (m) => isBot(m) && m.body.kind === 'text'), 30_000, 'opening-hours answer');
  const ack = visitorSend(v, 'Opening hours', 'hours');
  const m = await answer;
  const ms = performance.now() - t0;
  await ack;
  await v.inbox.waitFor(after(m.seq, (x) => x.body.kind === 'menu'), 30_000, 'menu again');
  return record ? [ms] : [];
}

