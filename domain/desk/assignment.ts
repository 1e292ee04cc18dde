import type { DispatchAction } from './actions.js';
import { baseStrategy, type AgentView, type BaseStrategy, type DispatcherSnapshot, type QueueEntry } from './state.js';

export const queueOrder = (a: QueueEntry, b: QueueEntry) =>
  Number(b.vip) - Number(a.vip) || a.enqueuedAt - b.enqueuedAt || a.seq - b.seq;

export const load = (a: AgentView) => a.conversationIds.length + a.offeredIds.length;

export function hasCapacity(a: AgentView): boolean {
  return a.status === 'online' && a.maxConversations > 0 && load(a) < a.maxConversations;
}

const serves = (a: AgentView, teamId: string | null) => teamId === null || a.teamIds.includes(teamId);

const byId = (x: AgentView, y: AgentView) => (x.agentId < y.agentId ? -1 : 1);

export function pickByStrategy(strategy: BaseStrategy, lastAgentId: string | null, candidates: AgentView[]): AgentView {
  switch (strategy) {
    case 'least-busy':
      return [...candidates].sort((x, y) =>
        load(x) / x.maxConversations - load(y) / y.maxConversations || x.lastAssignedAt - y.lastAssignedAt || byId(x, y))[0];
    case 'round-robin': {
      const ordered = [...candidates].sort(byId);
      return ordered.find((a) => lastAgentId === null || a.agentId > lastAgentId) ?? ordered[0];
    }
    case 'longest-idle':
    default:
      return [...candidates].sort((x, y) => x.lastAssignedAt - y.lastAssignedAt || byId(x, y))[0];
  }
}

function pick(state: DispatcherSnapshot, entry: QueueEntry, candidates: AgentView[]): AgentView {
  for (const id of entry.preferredAgentIds) {
    const preferred = candidates.find((a) => a.agentId === id);
    if (preferred) return preferred;
  }
  return pickByStrategy(entry.strategy ?? baseStrategy(state.settings.strategy), state.rrCursor[entry.teamId ?? ''] ?? null, candidates);
}

/** For a transfer to a team: its most idle online member with room; else, if the desk says so, a busy or away one. */
export function mostIdleInTeam(state: DispatcherSnapshot, teamId: string, exclude: string): AgentView | null {
  const able = Object.values(state.agents).filter((a) => a.agentId !== exclude && a.teamIds.includes(teamId)
    && (a.status === 'online' || a.status === 'busy' || a.status === 'away') && load(a) < a.maxConversations);
  if (able.length === 0) return null;
  const online = able.filter((a) => a.status === 'online');
  if (online.length) return pickByStrategy('least-busy', null, online);
  // A desk started before the setting existed has none in its state: it keeps asking a busy member, as it did.
  return state.settings.teamTransferWhenNobodyIdle === 'queue' ? null : pickByStrategy('least-busy', null, able);
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
    const agent = pick(state, entry, candidates);
    state.queue = state.queue.filter((e) => e.conversationId !== entry.conversationId);
    delete state.toldPositions[entry.conversationId];
    state.lastAgentId = agent.agentId;
    state.rrCursor[entry.teamId ?? ''] = agent.agentId;
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
