/**
 * Agent client process: real agents signed in over HTTP with a Socket.IO connection each. They follow
 * their assignments (`agent:state` / `conversation:updated` → `conversation:watch`) and, depending on
 * the group's mode, answer visitors: `echo` answers "ping X" with "pong X" at once (delivery bench),
 * `complete` answers each "Q: ..." and closes the conversation after the second answer.
 */
import { performance } from 'node:perf_hooks';
import type { ChatMessage } from '../../domain/messages.js';
import type { AgentStateEvent } from '../../domain/contracts/events.js';
import { emit, serve } from '../lib/ipc.js';
import { ack } from '../../client/socket.js';
import { connect, emitAck, http, staffLogin, type AnySocket } from '../lib/parley-client.js';
import { sleep } from '../lib/stats.js';

type Mode = 'echo' | 'complete' | 'idle';

interface Agent {
  email: string;
  group: string;
  userId: string;
  token: string;
  apiUrl: string;
  socket: AnySocket;
  relaySocket: AnySocket | null;
  held: Set<string>;
  /** Revision of the newest agent:state applied. */
  revision?: number;
  watched: Set<string>;
  watching: Set<string>;
  answered: Map<string, number>;
  seen: Set<string>;
  stateWaiters: Array<(ids: string[]) => void>;
  updateWaiters: Array<(c: { id: string; agentId: string | null; status: string }) => void>;
}

const agents: Agent[] = [];
/** Visitor → agent delivery (ms) of echoed pings, and send → INSERT time of the same messages. */
let oneWay: number[] = [];
let oneWayInsert: number[] = [];
const epochMs = () => performance.timeOrigin + performance.now();
const modes = new Map<string, Mode>();
const counters = { replies: 0, replyErrors: 0, closes: 0, closeErrors: 0, watchErrors: 0 };
const firstErrors: string[] = [];
const noteError = (err: unknown) => { if (firstErrors.length < 5) firstErrors.push(String(err)); };

const textOf = (m: ChatMessage) => ('text' in m.body ? m.body.text : '');
const inGroup = (group?: string) => agents.filter((a) => group === undefined || a.group === group);

function reply(agent: Agent, socket: AnySocket, m: ChatMessage): void {
  if (m.sender !== 'visitor' || agent.seen.has(m.id)) return;
  const text = textOf(m);
  const mode = modes.get(agent.group) ?? 'idle';
  if (mode === 'echo' && text.startsWith('ping ')) {
    agent.seen.add(m.id);
    const [, token, sentAt] = text.split(' ');
    const now = epochMs();
    if (oneWay.length < 100_000) {
      oneWay.push(now - Number(sentAt));
      oneWayInsert.push(Date.parse(m.createdAt) - Number(sentAt));
    }
    ack(socket, 'agent:message', { conversationId: m.conversationId, clientId: crypto.randomUUID(), text: `pong ${token} ${epochMs()}` }, 30_000)
      .then((res) => { if (res?.ok === false) throw new Error(res.error?.message); counters.replies++; })
      .catch((err) => { counters.replyErrors++; noteError(err); });
  } else if (mode === 'complete' && text.startsWith('Q: ')) {
    agent.seen.add(m.id);
    const n = (agent.answered.get(m.conversationId) ?? 0) + 1;
    agent.answered.set(m.conversationId, n);
    void (async () => {
      try {
        await emitAck(socket, 'agent:message', { conversationId: m.conversationId, clientId: crypto.randomUUID(), text: `Answer ${n}` });
        counters.replies++;
        if (n === 2) {
          await emitAck(socket, 'agent:close', { conversationId: m.conversationId });
          counters.closes++;
          agent.answered.delete(m.conversationId);
        }
      } catch (err) {
        counters.closeErrors++;
        noteError(err);
      }
    })();
  }
}

/**
 * Joins the conversation's room, then catches up on its transcript. The API allows the watch once the
 * projection shows the conversation as the agent's, which can lag the dispatcher's `agent:state` by
 * seconds under load: retry with backoff for up to a minute (a `conversation:updated` showing it
 * assigned to this agent retriggers it too).
 */
async function watch(agent: Agent, conversationId: string): Promise<void> {
  if (agent.watched.has(conversationId) || agent.watching.has(conversationId)) return;
  agent.watching.add(conversationId);
  try {
    const deadline = Date.now() + 60_000;
    for (let attempt = 0; ; attempt++) {
      try {
        await emitAck(agent.socket, 'conversation:watch', { conversationId });
        agent.watched.add(conversationId);
        break;
      } catch (err) {
        if (Date.now() > deadline || !agent.held.has(conversationId)) {
          counters.watchErrors++;
          noteError(err);
          return;
        }
        await sleep(Math.min(500, 25 * 2 ** Math.min(attempt, 5)));
      }
    }
    if ((modes.get(agent.group) ?? 'idle') !== 'idle') {
      const res = await http<{ messages: ChatMessage[] }>(agent.apiUrl, 'GET', `/api/conversations/${conversationId}/messages`, { token: agent.token });
      for (const m of res.messages) reply(agent, agent.socket, m);
    }
  } finally {
    agent.watching.delete(conversationId);
  }
}

function onState(agent: Agent, s: AgentStateEvent): void {
  // Like the workbench: states can arrive out of order; keep the newest.
  if (s.revision !== undefined && agent.revision !== undefined && s.revision < agent.revision) return;
  if (s.revision !== undefined) agent.revision = s.revision;
  agent.held = new Set(s.conversationIds);
  for (const id of agent.watched) if (!agent.held.has(id)) agent.watched.delete(id);
  for (const w of [...agent.stateWaiters]) w(s.conversationIds);
  if ((modes.get(agent.group) ?? 'idle') !== 'idle') for (const id of s.conversationIds) void watch(agent, id);
}

/** Resolves on the projection update that shows a conversation as assigned to this agent (it may now act on it). */
function waitForUsable(agent: Agent, except: Set<string>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = (c: { id: string; agentId: string | null; status: string }) => {
      if (c.agentId !== agent.userId || c.status !== 'assigned' || except.has(c.id)) return;
      clearTimeout(timer);
      agent.updateWaiters = agent.updateWaiters.filter((x) => x !== w);
      resolve();
    };
    const timer = setTimeout(() => {
      agent.updateWaiters = agent.updateWaiters.filter((x) => x !== w);
      reject(new Error(`no assigned projection within ${ms} ms`));
    }, ms);
    agent.updateWaiters.push(w);
  });
}

function waitForState(agent: Agent, pred: (ids: string[]) => boolean, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = (ids: string[]) => {
      if (!pred(ids)) return;
      clearTimeout(timer);
      agent.stateWaiters = agent.stateWaiters.filter((x) => x !== w);
      resolve();
    };
    const timer = setTimeout(() => {
      agent.stateWaiters = agent.stateWaiters.filter((x) => x !== w);
      reject(new Error(`no new assignment within ${ms} ms`));
    }, ms);
    agent.stateWaiters.push(w);
  });
}

serve({
  async login(a: { apiUrls: string[]; emails: string[]; password: string; group: string; mode: Mode }) {
    modes.set(a.group, a.mode);
    await Promise.all(a.emails.map(async (email, i) => {
      const apiUrl = a.apiUrls[i % a.apiUrls.length];
      const login = await staffLogin(apiUrl, email, a.password);
      const socket = await connect(apiUrl, { token: login.token });
      const agent: Agent = {
        email, group: a.group, userId: login.userId, token: login.token, apiUrl, socket, relaySocket: null,
        held: new Set(), watched: new Set(), watching: new Set(), answered: new Map(), seen: new Set(), stateWaiters: [], updateWaiters: [],
      };
      socket.on('agent:state', (s: AgentStateEvent) => onState(agent, s));
      socket.on('conversation:updated', (c: { id: string; agentId: string | null; status: string }) => {
        for (const w of [...agent.updateWaiters]) w(c);
        if (c.agentId === agent.userId && c.status === 'assigned' && (modes.get(agent.group) ?? 'idle') !== 'idle') {
          agent.held.add(c.id);
          void watch(agent, c.id);
        }
      });
      socket.on('message', (m: ChatMessage) => reply(agent, socket, m));
      agents.push(agent);
    }));
    return { agents: inGroup(a.group).map((x) => ({ email: x.email, userId: x.userId })) };
  },

  async status(a: { group: string; status: 'online' | 'away' | 'busy' | 'offline' }) {
    const out = await Promise.all(inGroup(a.group).map((x) => emitAck(x.socket, 'agent:status', { status: a.status })));
    return out.map((r) => r.state);
  },

  mode(a: { group: string; mode: Mode }) {
    modes.set(a.group, a.mode);
    return true;
  },

  stats(a: { group?: string }) {
    const list = inGroup(a.group);
    return {
      agents: list.length,
      held: list.reduce((n, x) => n + x.held.size, 0),
      watched: list.reduce((n, x) => n + x.watched.size, 0),
      ...counters,
      firstErrors,
    };
  },

  /** Waits until the group's agents hold and watch `count` conversations in all. */
  async waitWatched(a: { group: string; count: number; timeoutMs: number }) {
    const deadline = Date.now() + a.timeoutMs;
    for (;;) {
      const list = inGroup(a.group);
      const watched = list.reduce((n, x) => n + x.watched.size, 0);
      if (watched >= a.count) return watched;
      if (Date.now() > deadline) throw new Error(`only ${watched}/${a.count} conversations watched; ${JSON.stringify(counters)} ${firstErrors.join(' | ')}`);
      await sleep(200);
    }
  },

  /** The same agents on the bare relay: one socket each, in the rooms of the conversations they hold, echoing pings. */
  async relayConnect(a: { group: string; url: string }) {
    for (const agent of inGroup(a.group)) {
      const socket = await connect(a.url, { token: agent.token, role: 'agent', agentId: agent.userId });
      socket.on('message', (m: ChatMessage) => reply(agent, socket, m));
      await Promise.all([...agent.watched].map((conversationId) => emitAck(socket, 'conversation:watch', { conversationId })));
      agent.relaySocket = socket;
    }
    return true;
  },

  /** Returns and clears the one-way samples collected since the last call. */
  takeOneWay() {
    const out = { oneWay, oneWayInsert };
    oneWay = [];
    oneWayInsert = [];
    return out;
  },

  closeRelay() {
    for (const agent of agents) { agent.relaySocket?.close(); agent.relaySocket = null; }
    return true;
  },

  /**
   * Assignment latency: each agent of the group (at capacity, a queue waiting) closes a conversation
   * it holds and times close → the `agent:state` that lists a conversation it did not hold before
   * (`samples`: the dispatcher's decision reaching the agent, like an `offer` in manual mode) and
   * close → the `conversation:updated` showing it assigned to the agent (`usable`: the projection
   * is written, so the API lets the agent write in or close it). The next close waits for `usable`.
   */
  async assign(a: { group: string; samples: number; pauseMs: number; timeoutMs: number }) {
    const samples: number[] = [];
    const closeAcks: number[] = [];
    const usable: number[] = [];
    let errors = 0;
    const errs: string[] = [];
    const note = (e: unknown) => { if (errs.length < 5) errs.push(String(e)); };
    await Promise.all(inGroup(a.group).map(async (agent, lane) => {
      await sleep(lane * 50);
      while (samples.length + errors < a.samples) {
        if (agent.held.size === 0) await waitForState(agent, (ids) => ids.length > 0, a.timeoutMs).catch(() => {});
        const conversationId = [...agent.held][0];
        if (!conversationId) { errors++; note('agent holds nothing'); continue; }
        const before = new Set(agent.held);
        const t0 = performance.now();
        const next = waitForState(agent, (ids) => ids.some((id) => !before.has(id)), a.timeoutMs)
          .then(() => { samples.push(performance.now() - t0); emit('assigned', { n: samples.length }); });
        const ready = waitForUsable(agent, before, a.timeoutMs).then(() => { usable.push(performance.now() - t0); });
        try {
          await emitAck(agent.socket, 'agent:close', { conversationId });
          closeAcks.push(performance.now() - t0);
          await next;
          await ready;
        } catch (err) {
          errors++;
          note(`${conversationId} held=${[...agent.held].join(',')}: ${String(err)}`);
          void next.catch(() => {});
          void ready.catch(() => {});
        }
        await sleep(a.pauseMs);
      }
    }));
    return { samples, usable, closeAcks, errors, firstErrors: errs };
  },

  /**
   * Closes every conversation the group's agents hold, `concurrency` at a time, so a phase leaves no
   * open conversations behind whose timers would load the phases after it.
   */
  async endConversations(a: { group: string; concurrency: number }) {
    const work = inGroup(a.group).flatMap((agent) => [...agent.held].map((conversationId) => ({ agent, conversationId })));
    let closed = 0;
    const errs: string[] = [];
    await Promise.all(Array.from({ length: a.concurrency }, async () => {
      for (let next = work.shift(); next; next = work.shift()) {
        try {
          await emitAck(next.agent.socket, 'agent:close', { conversationId: next.conversationId });
          closed++;
        } catch (err) {
          if (errs.length < 5) errs.push(`${next.conversationId}: ${String(err)}`);
        }
      }
    }));
    return { closed, errors: errs };
  },

  async closeAll() {
    for (const agent of agents) { agent.socket.close(); agent.relaySocket?.close(); }
    agents.length = 0;
    return true;
  },

  /** Signs one group's agents out (closes their sockets) and forgets them; the others stay. */
  async closeGroup(a: { group: string }) {
    for (const agent of inGroup(a.group)) { agent.socket.close(); agent.relaySocket?.close(); }
    const rest = agents.filter((x) => x.group !== a.group);
    agents.length = 0;
    agents.push(...rest);
    return true;
  },
});
