import type { AgentStatus } from '../../domain/agents';
import type { ConversationStatus } from '../../domain/conversation';
import type { ClosedBy } from '../../domain/messages';
import type { AssignmentStrategy } from './types';

/** Display labels; `satisfies Record<...>` makes the compiler flag a status added to the contract. */
export const CONVERSATION_STATUS_LABELS = {
  bot: 'With bot',
  queued: 'Queued',
  offered: 'Offered',
  assigned: 'With agent',
  rating: 'Rating',
  ended: 'Ended',
} as const satisfies Record<ConversationStatus, string>;

export const CONVERSATION_STATUSES = Object.keys(CONVERSATION_STATUS_LABELS) as ConversationStatus[];

export const AGENT_STATUS_LABELS = {
  online: 'Online',
  busy: 'Busy',
  away: 'Away',
  offline: 'Offline',
} as const satisfies Record<AgentStatus, string>;

export const AGENT_STATUSES = Object.keys(AGENT_STATUS_LABELS) as AgentStatus[];

export const CLOSED_BY_LABELS = {
  visitor: 'the visitor',
  agent: 'the agent',
  admin: 'an administrator',
  timer: 'inactivity',
  flow: 'the service flow',
  system: 'the desk (the conversation could not go on)',
} as const satisfies Record<ClosedBy, string>;

/** Shown beside an account the admin just disabled while the desk (Temporal) could not be reached. */
export const DISABLE_DESK_PENDING_NOTICE = 'Disabled and signed out. The desk is unreachable right now; it will show this agent offline as soon as it is back.';

export const STRATEGY_LABELS = {
  'longest-idle': 'Longest idle',
  'least-busy': 'Least busy',
  'round-robin': 'Round robin',
  familiarity: 'Familiarity (last agent first)',
  webhook: 'Webhook',
} as const satisfies Record<AssignmentStrategy, string>;

export const STRATEGIES = Object.keys(STRATEGY_LABELS) as AssignmentStrategy[];
