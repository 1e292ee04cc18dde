import type { AgentStatus } from '../../shared/agents.js';

export interface QueueEntry {
  conversationId: string;
  teamId: string | null;
  vip: boolean;
  visitorId: string;
  visitorName: string;
  enqueuedAt: number;
  /** Tie-breaker for equal enqueue times: arrival order at the dispatcher. */
  seq: number;
  /** Agents whose offer for this conversation expired or was rejected; they are tried last. */
  declinedBy: string[];
}

export interface AgentView {
  agentId: string;
  name: string;
  status: AgentStatus;
  reason: string | null;
  maxConversations: number;
  teamIds: string[];
  conversationIds: string[];
  /** Conversations offered and not yet answered; they count against capacity. */
  offeredIds: string[];
  lastAssignedAt: number;
  disconnectedAt: number | null;
}

export interface Offer { conversationId: string; agentId: string; expiresAt: number; entry: QueueEntry }

export type AssignmentStrategy = 'longest-idle' | 'least-busy' | 'round-robin';

export interface DispatcherSettings {
  /** automatic: assigned means accepted; manual: the agent must accept within offerTimeoutSec. */
  serviceMode: 'automatic' | 'manual';
  offerTimeoutSec: number;
  /** Switch an agent to away when an offer to them expires. */
  awayOnMissedOffer: boolean;
  disconnectGraceSec: number;
  strategy: AssignmentStrategy;
}

export const DEFAULT_DISPATCHER_SETTINGS: DispatcherSettings = {
  serviceMode: 'manual',
  offerTimeoutSec: 60,
  awayOnMissedOffer: false,
  disconnectGraceSec: 30,
  strategy: 'longest-idle',
};

export interface DispatcherSnapshot {
  deskId: string;
  settings: DispatcherSettings;
  agents: Record<string, AgentView>;
  queue: QueueEntry[];
  offers: Offer[];
  seq: number;
  /** Round-robin cursor: the agent that last got a conversation. */
  lastAgentId: string | null;
  /** Last position told to each queued conversation, so only changes are sent. */
  toldPositions: Record<string, number>;
}

export function emptyDispatcher(deskId: string, settings: DispatcherSettings): DispatcherSnapshot {
  return { deskId, settings, agents: {}, queue: [], offers: [], seq: 0, lastAgentId: null, toldPositions: {} };
}
