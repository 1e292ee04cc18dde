import type { AgentView, DispatcherSnapshot, QueueEntry } from './state.js';

/** What the dispatcher must tell the outside world after a state change. */
export type DispatchAction =
  | { type: 'assigned'; entry: QueueEntry; agent: AgentView }
  | { type: 'offered'; entry: QueueEntry; agent: AgentView; expiresAt: number }
  | { type: 'position'; conversationId: string; position: number; waitNo: number };

export const queueOrder = (a: QueueEntry, b: QueueEntry) =>
  Number(b.vip) - Number(a.vip) || a.enqueuedAt - b.enqueuedAt || a.seq - b.seq;

export const load = (a: AgentView) => a.conversationIds.length + a.offeredIds.length;

export function hasCapacity(a: AgentView): boolean {
  return a.status === 'online' && a.maxConversations > 0 && load(a) < a.maxConversations;
}

const serves = (a: AgentView, teamId: string | null) => teamId === null || a.teamIds.includes(teamId);

function pick(state: DispatcherSnapshot, candidates: AgentView[]): AgentView {
  const byId = (x: AgentView, y: AgentView) => (x.agentId < y.agentId ? -1 : 1);
  switch (state.settings.strategy) {
    case 'least-busy':
      return [...candidates].sort((x, y) => load(x) / x.maxConversations - load(y) / y.maxConversations || x.lastAssignedAt - y.lastAssignedAt || byId(x, y))[0];
    case 'round-robin': {
      const ordered = [...candidates].sort(byId);
      return ordered.find((a) => state.lastAgentId === null || a.agentId > state.lastAgentId) ?? ordered[0];
    }
    case 'longest-idle':
    default:
      return [...candidates].sort((x, y) => x.lastAssignedAt - y.lastAssignedAt || byId(x, y))[0];
  }
}

/**
 * Hands queued conversations to agents with free capacity, in queue order, and recomputes queue
 * positions. Mutates `state`; returns the notifications to send. Pure apart from that: `now` is given.
 */
export function dispatch(state: DispatcherSnapshot, now: number): DispatchAction[] {
  const actions: DispatchAction[] = [];
  const agents = Object.values(state.agents);
  for (const entry of [...state.queue].sort(queueOrder)) {
    const able = agents.filter((a) => hasCapacity(a) && serves(a, entry.teamId));
    if (able.length === 0) continue;
    let candidates = able.filter((a) => !entry.declinedBy.includes(a.agentId));
    if (candidates.length === 0) {
      entry.declinedBy = [];
      candidates = able;
    }
    const agent = pick(state, candidates);
    state.queue = state.queue.filter((e) => e.conversationId !== entry.conversationId);
    delete state.toldPositions[entry.conversationId];
    state.lastAgentId = agent.agentId;
    agent.lastAssignedAt = now;
    if (state.settings.serviceMode === 'automatic') {
      agent.conversationIds.push(entry.conversationId);
      actions.push({ type: 'assigned', entry, agent });
    } else {
      const expiresAt = now + state.settings.offerTimeoutSec * 1000;
      agent.offeredIds.push(entry.conversationId);
      state.offers.push({ conversationId: entry.conversationId, agentId: agent.agentId, expiresAt, entry });
      actions.push({ type: 'offered', entry, agent, expiresAt });
    }
  }
  actions.push(...positions(state));
  return actions;
}

/** Position (from 1) within the conversation's own team queue; only changed positions are reported. */
function positions(state: DispatcherSnapshot): DispatchAction[] {
  const out: DispatchAction[] = [];
  const perTeam = new Map<string, number>();
  for (const entry of [...state.queue].sort(queueOrder)) {
    const key = entry.teamId ?? '';
    const waitNo = perTeam.get(key) ?? 0;
    perTeam.set(key, waitNo + 1);
    if (state.toldPositions[entry.conversationId] !== waitNo + 1) {
      state.toldPositions[entry.conversationId] = waitNo + 1;
      out.push({ type: 'position', conversationId: entry.conversationId, position: waitNo + 1, waitNo });
    }
  }
  return out;
}
