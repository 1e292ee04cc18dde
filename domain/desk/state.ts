import type { SlottedText } from '../flow/interpolate.js';
import type { AgentStatus } from '../agents.js';
import type { AgentStateEvent } from '../contracts/events.js';

import type { AssignmentStrategy, BaseStrategy, DispatcherSettings } from '../routing.js';

/** Strategies the dispatcher applies itself (BaseStrategy); `familiarity` and `webhook` arrive as preferred agents on the entry. */
export type { AssignmentStrategy, BaseStrategy, DispatcherSettings };

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
  /** Agents to try first, in order (familiarity: last agent; webhook: AgentIdList). */
  preferredAgentIds: string[];
  /** The team's own base strategy, or null for the desk default. */
  strategy: BaseStrategy | null;
  /**
   * The conversation's queue notice with the position still open. When present the desk writes the
   * visitor's position notices itself (no signal, no workflow task per waiting conversation); absent
   * for conversations enqueued by older workflow code, which are signalled their positions.
   */
  queueNotice?: SlottedText;
  /** Issue 19: refuse the entry (handoffFailed, NOBODY_SIGNED_IN) when no agent of its team is signed in. */
  failIfNobodyOnline?: boolean;
}

export interface AgentView {
  agentId: string;
  name: string;
  status: AgentStatus;
  reason: string | null;
  maxConversations: number;
  teamIds: string[];
  conversationIds: string[];
  /** Conversations offered or being transferred to this agent and not yet answered; they count against capacity. */
  offeredIds: string[];
  lastAssignedAt: number;
  disconnectedAt: number | null;
  /** On views returned to the API: the dispatcher revision they are from (see AgentStateEvent). */
  revision?: number;
}

/** What an agent is told of its own state (`agent:state`), by the desk and by the API alike. */
export const agentStateOf = (a: AgentView): AgentStateEvent => ({
  status: a.status, load: a.conversationIds.length, maxConversations: a.maxConversations, conversationIds: [...a.conversationIds],
  ...(a.revision !== undefined ? { revision: a.revision } : {}),
});

export interface Offer { conversationId: string; agentId: string; expiresAt: number; entry: QueueEntry }

export interface Transfer {
  transferId: string;
  conversationId: string;
  fromAgentId: string;
  toAgentId: string;
  /** Set when the transfer was addressed to a team. */
  toTeamId: string | null;
  expiresAt: number;
}

/** Idempotency keys of the desk's queue notices are this prefix and the desk's notice number. */
export const DESK_NOTICE_KEY = 'desk:';

export const DEFAULT_DISPATCHER_SETTINGS: DispatcherSettings = {
  serviceMode: 'manual',
  offerTimeoutSec: 60,
  awayOnMissedOffer: false,
  disconnectGraceSec: 30,
  strategy: 'longest-idle',
  transferConfirmation: true,
  transferTimeoutSec: 240,
  agentsMayJoinQueued: false,
  agentsMayChangeLimit: false,
  teamTransferWhenNobodyIdle: 'queue',
  assignWebhookUrl: null,
  assignWebhookTimeoutMs: 3000,
  handoffFailsWhenNobodyOnline: false,
  queuePositionIntervalMs: 1000,
};

export interface DispatcherSnapshot {
  deskId: string;
  settings: DispatcherSettings;
  agents: Record<string, AgentView>;
  queue: QueueEntry[];
  offers: Offer[];
  transfers: Transfer[];
  /** Queue entries of conversations an agent holds, kept to requeue them on a team transfer. */
  held: Record<string, QueueEntry>;
  seq: number;
  /** The agent that last got a conversation (any queue). */
  lastAgentId: string | null;
  /** Round-robin cursors, one per queue (team id, '' for the desk queue): the agent that queue last served. */
  rrCursor: Record<string, string>;
  /** Last position told to each queued conversation, so only changes are sent. */
  toldPositions: Record<string, number>;
  /** Revision of the last desk projection written to PostgreSQL (they may land out of order). */
  projectionRevision?: number;
  /** Queue notices the desk has written; numbers their idempotency keys. */
  noticeSeq?: number;
}

export function emptyDispatcher(deskId: string, settings: DispatcherSettings): DispatcherSnapshot {
  return { deskId, settings, agents: {}, queue: [], offers: [], transfers: [], held: {}, seq: 0, lastAgentId: null, rrCursor: {}, toldPositions: {},
      projectionRevision: 0 };
}

export const baseStrategy = (s: AssignmentStrategy): BaseStrategy =>
  s === 'familiarity' || s === 'webhook' ? 'longest-idle' : s;
