import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Desk, DeskRuleError } from '../../../domain/desk/desk.js';
import { queueOrder } from '../../../domain/desk/assignment.js';
import { DeskProjector, type DeskProjection } from '../../../domain/desk/projection.js';
import { DEFAULT_DISPATCHER_SETTINGS, emptyDispatcher, type DispatcherSettings } from '../../../domain/desk/state.js';
import type { AgentStatus } from '../../../domain/agents.js';

const AGENTS = ['a1', 'a2', 'a3'];
const TEAMS = ['sales', 'support'];

type Op =
  | { op: 'enqueue'; id: number; team: string | null; vip: boolean }
  | { op: 'release'; id: number }
  | { op: 'closeHeld'; agent: string; id: number }
  | { op: 'status'; agent: string; status: AgentStatus; max: number; teams: string[] }
  | { op: 'accept' | 'reject'; agent: string; id: number }
  | { op: 'claim'; agent: string; id: number }
  | { op: 'transfer'; from: string; to: string | null; team: string | null; id: number }
  | { op: 'answer'; agent: string; accept: boolean }
  | { op: 'tick'; ms: number }
  | { op: 'disconnect'; agent: string };

const conv = (n: number) => `c${n}`;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('enqueue' as const), id: fc.nat(30), team: fc.constantFrom(null, ...TEAMS), vip: fc.boolean() }),
  fc.record({ op: fc.constant('release' as const), id: fc.nat(30) }),
  fc.record({ op: fc.constant('closeHeld' as const), agent: fc.constantFrom(...AGENTS), id: fc.nat(30) }),
  fc.record({ op: fc.constant('status' as const), agent: fc.constantFrom(...AGENTS), status: fc.constantFrom<AgentStatus>('online', 'online', 'busy', 'away', 'offline'), max: fc.integer({ min: 0, max: 3 }), teams: fc.subarray(TEAMS) }),
  fc.record({ op: fc.constantFrom('accept' as const, 'reject' as const), agent: fc.constantFrom(...AGENTS), id: fc.nat(30) }),
  fc.record({ op: fc.constant('claim' as const), agent: fc.constantFrom(...AGENTS), id: fc.nat(30) }),
  fc.record({ op: fc.constant('transfer' as const), from: fc.constantFrom(...AGENTS), to: fc.constantFrom(null, ...AGENTS), team: fc.constantFrom(...TEAMS), id: fc.nat(30) }),
  fc.record({ op: fc.constant('answer' as const), agent: fc.constantFrom(...AGENTS), accept: fc.boolean() }),
  fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
  fc.record({ op: fc.constant('disconnect' as const), agent: fc.constantFrom(...AGENTS) }),
);

/** The projection tables as the activity maintains them: a row is replaced only by a newer revision. */
class ProjectedTables {
  agents = new Map<string, { revision: number; row: DeskProjection['agents'][number] }>();
  queue = new Map<string, { revision: number; row: DeskProjection['queue'][number] }>();
  apply(p: DeskProjection) {
    for (const row of p.agents) if ((this.agents.get(row.agentId)?.revision ?? -1) < p.revision) this.agents.set(row.agentId, { revision: p.revision, row });
    for (const row of p.queue) if ((this.queue.get(row.conversationId)?.revision ?? -1) < p.revision) this.queue.set(row.conversationId,
        { revision: p.revision, row });
  }
}

/** Once every write has landed, in whatever order, the tables say what the dispatcher holds. */
function checkProjection(desk: Desk, tables: ProjectedTables) {
  for (const a of Object.values(desk.s.agents)) {
    expect(tables.agents.get(a.agentId)?.row).toEqual({
      agentId: a.agentId, status: a.status, reason: a.reason, maxConversations: a.maxConversations,
      conversationIds: a.conversationIds, offeredIds: a.offeredIds, disconnected: a.disconnectedAt !== null,
    });
  }
  const waiting = [...tables.queue.values()].filter((q) => q.row.queued).map((q) => q.row)
    .sort((x, y) => Number(y.vip) - Number(x.vip) || x.enqueuedAt - y.enqueuedAt || x.seq - y.seq);
  expect(waiting.map((q) => q.conversationId)).toEqual([...desk.s.queue].sort(queueOrder).map((e) => e.conversationId));
  for (const q of waiting) expect(q.position).toBe(desk.s.toldPositions[q.conversationId]);
}

function run(ops: Op[], settings: DispatcherSettings) {
  const desk = new Desk(emptyDispatcher('d', settings));
  const projector = new DeskProjector();
  const tables = new ProjectedTables();
  const inFlight: DeskProjection[] = [];
  let revision = 0;
  let now = 1_000;
  const everQueued = new Set<string>();
  const released = new Set<string>();
  for (const o of ops) {
    try {
      switch (o.op) {
        case 'enqueue':
          if (!everQueued.has(conv(o.id))) desk.enqueue({ conversationId: conv(o.id), teamId: o.team, vip: o.vip, visitorId: 'v', visitorName: 'V', enqueuedAt: now, preferredAgentIds: [], strategy: null });
          everQueued.add(conv(o.id));
          break;
        case 'release': desk.release(conv(o.id)); released.add(conv(o.id)); break;
        case 'closeHeld': desk.closeHeld(o.agent, conv(o.id)); released.add(conv(o.id)); break;
        case 'status': desk.setAgentStatus({ agentId: o.agent, name: o.agent, maxConversations: o.max, teamIds: o.teams, status: o.status }); break;
        case 'accept': desk.accept(o.agent, conv(o.id), now); break;
        case 'reject': desk.reject(o.agent, conv(o.id)); break;
        case 'claim': desk.claim(o.agent, conv(o.id), now); break;
        case 'transfer': desk.requestTransfer({ transferId: `t${now}`, conversationId: conv(o.id), fromAgentId: o.from, ...(o.to ? { toAgentId: o.to } : { toTeamId: o.team! }) }, now); break;
        case 'answer': {
          const t = desk.s.transfers.find((x) => x.toAgentId === o.agent);
          if (t) desk.answerTransfer(t.transferId, o.agent, o.accept, now);
          break;
        }
        case 'tick': now += o.ms; desk.fireTimers(now); break;
        case 'disconnect': desk.disconnected(o.agent, now); break;
      }
    } catch (err) {
      if (!(err instanceof DeskRuleError)) throw err; // rule errors are expected; anything else is a bug
    }
    desk.dispatch(now);
    desk.takeActions();
    checkInvariants(desk, [...everQueued].filter((id) => !released.has(id)), o);
    const p = projector.diff(desk.s, revision + 1);
    if (p) { revision = p.revision; inFlight.push(p); }
    // writes land out of order: the newest sometimes first, older ones later
    if (inFlight.length > 2 || (inFlight.length && o.op === 'tick')) for (const w of inFlight.splice(0).reverse()) tables.apply(w);
  }
  for (const w of inFlight.splice(0)) tables.apply(w);
  checkProjection(desk, tables);
}

function checkInvariants(desk: Desk, live: string[], lastOp: Op) {
  const s = desk.s;
  const owners = new Map<string, string[]>();
  const note = (id: string, where: string) => owners.set(id, [...(owners.get(id) ?? []), where]);
  for (const e of s.queue) note(e.conversationId, 'queue');
  for (const o of s.offers) note(o.conversationId, `offer:${o.agentId}`);
  for (const a of Object.values(s.agents)) {
    for (const id of a.conversationIds) note(id, `agent:${a.agentId}`);
    // an agent never holds more than its limit (pending offers and transfers count)
    const reserved = a.conversationIds.length + a.offeredIds.length;
    expect(reserved, `agent ${a.agentId} over limit after ${JSON.stringify(lastOp)}`).toBeLessThanOrEqual(Math.max(a.maxConversations, a.conversationIds.length));
  }
  // a conversation is in exactly one place: queued, offered to one agent, or held by one agent
  for (const [id, places] of owners) expect(places, `${id} in several places`).toHaveLength(1);
  // nothing disappears: every conversation queued and not released is somewhere, an expired offer or transfer included
  for (const id of live) expect(owners.has(id), `${id} lost after ${JSON.stringify(lastOp)}`).toBe(true);
  for (const t of s.transfers) expect(owners.get(t.conversationId)?.[0]).toBe(`agent:${t.fromAgentId}`);
  // no queued conversation is skipped while an eligible online agent has free capacity
  for (const e of s.queue) {
    const eligible = Object.values(s.agents).filter((a) => a.status === 'online' && a.maxConversations > 0
      && a.conversationIds.length + a.offeredIds.length < a.maxConversations && (e.teamId === null || a.teamIds.includes(e.teamId)));
    expect(eligible.map((a) => a.agentId), `${e.conversationId} waits while agents are free`).toEqual([]);
  }
}

describe('Desk routing invariants under random operation sequences', () => {
  for (const serviceMode of ['automatic', 'manual'] as const) {
    it(`holds in ${serviceMode} mode`, () => {
      fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), fc.boolean(), (ops, confirm) => {
        run(ops, { ...DEFAULT_DISPATCHER_SETTINGS, serviceMode, transferConfirmation: confirm, awayOnMissedOffer: confirm });
      }), { numRuns: 400, seed: 42 });
    });
  }

  it('serves VIP visitors first, then by enqueue time', () => {
    const desk = new Desk(emptyDispatcher('d', { ...DEFAULT_DISPATCHER_SETTINGS, serviceMode: 'automatic' }));
    const base = { teamId: null, visitorId: 'v', visitorName: 'V', preferredAgentIds: [] as string[], strategy: null };
    desk.enqueue({ ...base, conversationId: 'first', vip: false, enqueuedAt: 1 });
    desk.enqueue({ ...base, conversationId: 'second', vip: false, enqueuedAt: 2 });
    desk.enqueue({ ...base, conversationId: 'vip', vip: true, enqueuedAt: 3 });
    expect([...desk.s.queue].sort(queueOrder).map((e) => e.conversationId)).toEqual(['vip', 'first', 'second']);
    desk.dispatch(10);
    expect(desk.takeActions().filter((a) => a.type === 'position').map((a) => a.type === 'position' && [a.conversationId, a.position, a.waitNo]))
      .toEqual([['vip', 1, 0], ['first', 2, 1], ['second', 3, 2]]);
    desk.setAgentStatus({ agentId: 'a', name: 'A', maxConversations: 1, teamIds: [], status: 'online' });
    desk.dispatch(20);
    expect(desk.s.agents.a.conversationIds).toEqual(['vip']);
  });

  it('an agent closing a conversation it holds frees the slot for the next visitor in the same turn', () => {
    const desk = new Desk(emptyDispatcher('d', { ...DEFAULT_DISPATCHER_SETTINGS, serviceMode: 'automatic' }));
    const base = { teamId: null, visitorId: 'v', visitorName: 'V', vip: false, preferredAgentIds: [] as string[], strategy: null };
    desk.setAgentStatus({ agentId: 'a', name: 'A', maxConversations: 1, teamIds: [], status: 'online' });
    desk.enqueue({ ...base, conversationId: 'served', enqueuedAt: 1 });
    desk.enqueue({ ...base, conversationId: 'waiting', enqueuedAt: 2 });
    desk.dispatch(10);
    desk.takeActions();
    expect(desk.s.agents.a.conversationIds).toEqual(['served']);

    // someone else's conversation, or one still waiting: refused, nothing changes
    const before = JSON.stringify(desk.s);
    expect(() => desk.closeHeld('b', 'served')).toThrow(DeskRuleError);
    expect(() => desk.closeHeld('a', 'waiting')).toThrow('not held by this agent');
    expect(JSON.stringify(desk.s)).toBe(before);
    expect(desk.takeActions()).toEqual([]);

    desk.closeHeld('a', 'served');
    desk.dispatch(20);
    const actions = desk.takeActions();
    expect(actions.find((x) => x.type === 'closeRequested')).toEqual({ type: 'closeRequested', conversationId: 'served', agentId: 'a' });
    expect(actions.some((x) => x.type === 'assigned' && x.entry.conversationId === 'waiting')).toBe(true);
    expect(desk.s.agents.a.conversationIds).toEqual(['waiting']);
    // the conversation's own release, arriving later, changes nothing
    desk.release('served');
    desk.dispatch(30);
    expect(desk.takeActions()).toEqual([]);
    expect(desk.s.agents.a.conversationIds).toEqual(['waiting']);
  });
});
