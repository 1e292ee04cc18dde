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

/** The staff apps' names: the login page's title and the header's heading. */
export const STAFF_APPS = {
  agent: { title: 'Agent workbench', heading: 'Parley · Workbench' },
  admin: { title: 'Admin console', heading: 'Parley · Admin' },
} as const;

export const STAFF_SHELL_TEXTS = {
  signOut: 'Sign out',
};

/** Queue actions (agent queue panel and admin queue page). */
export const QUEUE_TEXTS = {
  notAllowed: (message: string) => `Not allowed: ${message}`,
};

const OFFER_REVOKED_REASONS = {
  expired: 'expired',
  taken: 'was taken by another agent',
  closed: 'was closed by the visitor',
} as const;

/** Who a transfer notice names: the target agent (or team label), the visitor, the target team. */
interface TransferParties {
  who: string;
  visitor: string;
  team: string;
}

/** What the workbench's stores tell the agent: notices (toasts), fallbacks and the "handed over" state. */
export const WORKBENCH_TEXTS = {
  handedOver: 'Handed over',
  someVisitor: 'the visitor',
  someColleague: 'a colleague',
  someTeam: 'team',
  notConnected: 'Not connected',
  conversationNotFound: 'Conversation not found',
  offered: (visitor: string) => `New chat offered: ${visitor}`,
  offerRevoked: (visitor: string, reason: keyof typeof OFFER_REVOKED_REASONS) =>
    `The chat from ${visitor} ${OFFER_REVOKED_REASONS[reason] ?? reason}.`,
  couldNotOpen: (error: string) => `Could not open conversation: ${error}`,
  couldNotChangeStatus: (error: string) => `Could not change status: ${error}`,
  couldNotAccept: (error: string) => `Could not accept: ${error}`,
  couldNotDecline: (error: string) => `Could not decline: ${error}`,
  couldNotClose: (error: string) => `Could not close: ${error}`,
  couldNotAnswerTransfer: (error: string) => `Could not answer the transfer: ${error}`,
  blocked: (visitor: string, closed: number) =>
    `${visitor} is blocked${closed ? `; ${closed} open conversation${closed === 1 ? '' : 's'} closed` : ''}.`,
  transferIncoming: (from: string) => `${from} wants to transfer a chat to you.`,
  transferWaiting: (target: string) => `Transfer requested. Waiting for ${target} to accept…`,
  /** The result of a transfer this agent asked for. */
  transferOutgoing: {
    accepted: ({ who, visitor }: TransferParties) => `${who} accepted the transfer of ${visitor}.`,
    moved: ({ who, visitor }: TransferParties) => `${visitor} was moved to ${who}.`,
    queued: ({ team, visitor }: TransferParties) => `${visitor} is waiting in the ${team} queue.`,
    rejected: ({ who, visitor }: TransferParties) => `${who} declined the transfer of ${visitor}; the conversation stays with you.`,
    expired: ({ who, visitor }: TransferParties) => `${who} did not answer in time; ${visitor} stays with you.`,
    cancelled: ({ visitor }: TransferParties) => `The transfer of ${visitor} was cancelled (the conversation ended).`,
  },
  /** The result of a transfer offered to this agent. */
  transferIncomingResult: {
    tookOver: (from: string) => `You took over a conversation from ${from}.`,
    declined: (from: string) => `You declined the transfer from ${from}.`,
    expired: (from: string) => `The transfer from ${from} expired.`,
    withdrawn: (from: string) => `The transfer from ${from} was withdrawn (the conversation ended).`,
  },
  /** Without confirmation the target only learns of a transfer from its result. */
  transferredToYou: 'A conversation was transferred to you.',
};

/** "My conversations" (history and search), the transcript viewer and a visitor's earlier conversations. */
export const HISTORY_TEXTS = {
  open: 'History',
  openLabel: 'My conversations: history and search',
  title: 'My conversations',
  close: 'Back to the chats',
  filters: 'Filters',
  search: 'Search messages',
  searchPlaceholder: 'Words, part of a word, 中文…',
  searchButton: 'Search',
  clear: 'Clear',
  from: 'From',
  to: 'To',
  status: 'Status',
  anyStatus: 'Any status',
  rating: 'Rating',
  anyRating: 'Any rating',
  unrated: 'Not rated',
  stars: (n: number) => `${n} of 5`,
  tag: 'Tag',
  tagPlaceholder: 'Tag id',
  results: 'Conversations',
  loadMore: 'Show more',
  loading: 'Loading…',
  empty: 'No conversations yet. The chats you serve appear here, also after they are closed.',
  noResults: 'Nothing matches. Try fewer words, part of a word, or other filters.',
  partial: (q: string) => `No whole words matched "${q}"; showing messages containing it inside words.`,
  matchBy: (sender: string) => (sender === 'agent' ? 'Agent' : sender === 'visitor' ? 'Visitor' : 'Bot'),
  pickOne: 'Select a conversation to read its transcript.',
  back: 'Back to the results',
  transcriptOf: (visitor: string) => `Transcript: ${visitor}`,
  readOnly: 'Read-only transcript',
  agent: (name: string | null) => `Agent: ${name ?? '—'}`,
  noAgent: 'No agent',
  ratingShown: (n: number | null) => (n === null ? 'Not rated' : `Rated ${n} of 5`),
  couldNotLoad: (error: string) => `Could not load: ${error}`,
  previous: 'Previous conversations',
  previousNone: 'No earlier conversations.',
  openTranscript: (date: string) => `Open the transcript of ${date}`,
  closeDialog: 'Close',
};
