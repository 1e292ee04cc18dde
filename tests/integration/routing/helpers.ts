import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { conversations, flows, flowVersions, visitors } from '../../../db/schema.js';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import type { AgentStateEvent } from '../../../domain/contracts/events.js';
import { dispatcherStateQuery } from '../../../domain/contracts/dispatcher-workflow.js';
import type { DispatcherSettings, DispatcherSnapshot } from '../../../domain/desk/state.js';
import { operations } from '../../../client/operations.js';
import { restClient } from '../../../client/rest.js';
import { emitAck, http, staffClient, visitorClient, type StaffClient, type VisitorClient } from '../../helpers/clients.js';
import { queueWhenNobodyOnline, startStack, TEST_PASSWORD, type Stack, type StackOptions } from '../../helpers/stack.js';

/**
 * Helpers for the routing integration tests. Every test gets its own team (and a channel whose flow
 * hands straight off to that team), so tests sharing one stack never compete for agents.
 */

type NodeInput = FlowDefinitionInput['nodes'][number];

export const CONNECTED = 'You are now chatting with ${agentName}.';

/** A flow that queues the visitor for `teamId` at once (no menu), rating off so a close ends it. */
export function handoffFlow(teamId: string | null): FlowDefinitionInput {
  return queueWhenNobodyOnline({
    start: 'handoff',
    nodes: [{ id: 'handoff', type: 'handoff', config: { teamId, connecting: 'Connecting you…', connected: CONNECTED }, edges: [] }],
    settings: { rating: { enabled: false }, queueReminderSec: null },
  });
}

/** "Visitor's choice of team": a menu whose items hand off to different teams. */
export function teamMenuFlow(choices: Array<{ id: string; label: string; teamId: string }>): FlowDefinitionInput {
  const nodes: NodeInput[] = [
    {
      id: 'menu', type: 'menu',
      config: { header: 'Which team?', items: choices.map((c) => ({ id: c.id, content: c.label })) },
      edges: choices.map((c) => ({ on: c.id, to: `to-${c.id}` })),
    },
    ...choices.map((c): NodeInput => ({ id: `to-${c.id}`, type: 'handoff', config: { teamId: c.teamId, connected: CONNECTED }, edges: [] })),
  ];
  return queueWhenNobodyOnline({ start: 'menu', nodes, settings: { rating: { enabled: false }, queueReminderSec: null } });
}

/** Resolves when `check` returns a truthy value (polled), or fails with `what` after `ms`. */
export async function waitUntil<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}${last ? ` (last error: ${(last as Error).toString()})` : ''}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** Short pause, only to show that something did NOT happen. */
export const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

export type Agent = StaffClient & { name: string; email: string; api: number; ctx: Desk };

export interface Team { id: string; name: string; channel: string }

/** One stack for a test file, plus admin access and factories for teams, agents and visitors. */
export async function startDesk(opts: StackOptions & { routing?: Partial<DispatcherSettings> } = {}) {
  const stack = await startStack({ flow: handoffFlow(null), ...opts });
  const login = await restClient(stack.baseUrl).call(operations.login, { body: { email: 'admin@parley.local', password: TEST_PASSWORD } });
  const desk = {
    stack,
    adminToken: login.token,
    adminId: login.user.id,
    clients: [] as Array<{ close(): void }>,
    agents: [] as Agent[],
    api(path: string, method = 'GET', body?: unknown, token = login.token, api = 0) {
      return http<any>(stack.baseUrls[api % stack.baseUrls.length], method, path, { token, body });
    },
    async settings(routing: Partial<DispatcherSettings>) {
      const res = await desk.api('/api/settings/routing', 'PUT', routing);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      // The PUT signals the dispatcher; wait until it has applied the change.
      await waitUntil(async () => {
        const s = (await desk.snapshot()).settings;
        return Object.entries(routing).every(([k, v]) => s[k as keyof DispatcherSettings] === v);
      }, 'the dispatcher has the new settings');
    },
    async snapshot(): Promise<DispatcherSnapshot> {
      return stack.temporal.workflow.getHandle(`dispatcher-${stack.deskId}`).query(dispatcherStateQuery);
    },
    /** A team with its own channel whose flow hands off to it. */
    async team(opts: { strategy?: string; name?: string; id?: string } = {}): Promise<Team> {
      const id = opts.id ?? `t-${randomUUID().slice(0, 8)}`;
      const name = opts.name ?? `Team ${id}`;
      const res = await desk.api('/api/teams', 'POST', { id, name, ...(opts.strategy ? { strategy: opts.strategy } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const channel = `ch-${id}`;
      await addFlow(stack, channel, handoffFlow(id));
      return { id, name, channel };
    },
    /** Creates an agent through the admin API, signs it in (on API `api`) and, unless told otherwise, puts it online. */
    async agent(opts: { name?: string; max?: number; teams?: Team[] | string[]; online?: boolean; api?: number } = {}): Promise<Agent> {
      const name = opts.name ?? `Agent ${randomUUID().slice(0, 6)}`;
      const email = `${randomUUID().slice(0, 12)}@parley.local`;
      const teamIds = (opts.teams ?? []).map((t) => (typeof t === 'string' ? t : t.id));
      const created = await desk.api('/api/agents', 'POST', { email, nickname: name, password: TEST_PASSWORD, maxConversations: opts.max ?? 3, teamIds });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const api = opts.api ?? 0;
      const client = await staffClient(stack.baseUrls[api % stack.baseUrls.length], email);
      desk.clients.push(client);
      const agent: Agent = Object.assign(client, { name, email, api, ctx: desk });
      desk.agents.push(agent);
      if (opts.online ?? true) expect(await agent.setStatus('online')).toMatchObject({ ok: true });
      return agent;
    },
    async visitor(opts: { channel?: string; team?: Team; name?: string; vip?: boolean; api?: number } = {}): Promise<VisitorClient> {
      const channel = opts.channel ?? opts.team?.channel;
      const v = await visitorClient(stack.baseUrls[(opts.api ?? 0) % stack.baseUrls.length], opts.name ?? 'Visitor', {
        ...(channel ? { channel } : {}),
        beforeStart: opts.vip ? async (id) => { await stack.database.db.update(visitors).set({ vip: true }).where(eq(visitors.id, id)); } : undefined,
      });
      desk.clients.push(v);
      return v;
    },
    async row(conversationId: string) {
      const [row] = await stack.database.db.select().from(conversations).where(eq(conversations.id, conversationId));
      return row;
    },
    /** Waits until the projection says the conversation is assigned (to `agentId`, if given); returns the agent id. */
    async assigned(conversationId: string, agentId?: string, ms?: number): Promise<string> {
      const row = await waitUntil(async () => {
        const r = await desk.row(conversationId);
        return r && r.status === 'assigned' && r.agentId && (!agentId || r.agentId === agentId) ? r : null;
      }, `conversation ${conversationId.slice(0, 8)} is assigned${agentId ? ` to ${agentId.slice(0, 8)}` : ''}`, ms);
      return row.agentId!;
    },
    async status(conversationId: string, status: string, ms?: number) {
      return waitUntil(async () => {
        const r = await desk.row(conversationId);
        return r?.status === status ? r : null;
      }, `conversation ${conversationId.slice(0, 8)} is ${status}`, ms);
    },
    /** Waits until the conversation is in the dispatcher's queue (the projection says `queued` a little earlier). */
    async waiting(conversationId: string, ms?: number) {
      return waitUntil(async () => (await desk.snapshot()).queue.find((e) => e.conversationId === conversationId), `conversation ${conversationId.slice(0, 8)} waits in the dispatcher's queue`, ms);
    },
    /** The dispatcher's view of an agent, once `pred` holds. */
    async agentView(agentId: string, pred: (a: DispatcherSnapshot['agents'][string]) => boolean, what: string, ms?: number) {
      return waitUntil(async () => {
        const a = (await desk.snapshot()).agents[agentId];
        return a && pred(a) ? a : null;
      }, what, ms);
    },
    /** Puts every agent created so far offline, so the next test's teamless conversations do not reach them. */
    async retire() {
      for (const a of desk.agents.splice(0)) {
        const res = await desk.api(`/api/agents/${a.userId}/force-offline`, 'POST');
        expect(res.status).toBe(200);
      }
    },
    async close() {
      for (const c of desk.clients) c.close();
      await stack.stop();
    },
  };
  return desk;
}
export type Desk = Awaited<ReturnType<typeof startDesk>>;

export async function addFlow(stack: Stack, channel: string, definition: FlowDefinitionInput): Promise<void> {
  const id = `flow-${channel}`;
  await stack.database.db.insert(flows).values({ id, name: id, channel, draft: definition });
  await stack.database.db.insert(flowVersions).values({ flowId: id, version: 1, definition });
}

/** Agent actions not on the shared staff client. */
export const act = {
  reject: (a: StaffClient, conversationId: string) => emitAck(a.socket, 'agent:reject', { conversationId }),
  transfer: (a: StaffClient, conversationId: string, to: { toAgentId?: string; toTeamId?: string }) => emitAck(a.socket, 'agent:transfer', { conversationId, ...to }),
  answer: (a: StaffClient, transferId: string, accept: boolean) => emitAck(a.socket, 'agent:transfer-answer', { transferId, accept }),
  watch: (a: StaffClient, conversationId: string) => emitAck(a.socket, 'conversation:watch', { conversationId }),
};

/** Waits for an agent:state event matching `pred`. */
export function agentState(a: StaffClient, pred: (s: AgentStateEvent) => boolean, ms?: number) {
  return a.waitFor<AgentStateEvent>('agent:state', pred, ms);
}

/** The connected notice the handoff flows send, naming the agent. */
export function connectedTo(v: VisitorClient, agentName: string, ms?: number) {
  return v.waitForBody('notice', (b) => b.text === `You are now chatting with ${agentName}.`, ms);
}
