import type { ClosedBy } from '../messages.js';
import type { ConversationStatus } from '../conversation.js';
import type { FlowDefinition } from '../flow/schema.js';
import type { FlowState, FlowWait } from '../flow/types.js';

export interface ConversationInput {
  conversationId: string;
  deskId: string;
  visitorId: string;
  visitorName: string;
  channel: string;
  vip: boolean;
  flow: { id: string; version: number; definition: FlowDefinition };
  /**
   * Issue 19: the visitor's locale (a supported one, domain/locales.ts), which picks each flow text's variant.
   * Absent in conversations started before, and when the visitor's locale was unknown: the flow's default.
   */
  locale?: string | null;
  /** Present when the workflow continued as new: everything it had. */
  carried?: ConversationSnapshot;
  /** Continue as new past this many history events (the server's suggestion also triggers it). */
  historyLimit?: number;
}

/** Everything the conversation knows; returned by the `state` query and carried across continue-as-new. */
export interface ConversationSnapshot {
  conversationId: string;
  status: ConversationStatus;
  flow: { state: FlowState | null; wait: FlowWait };
  agentId: string | null;
  agentName: string | null;
  teamId: string | null;
  queuePosition: number | null;
  waitNo: number | null;
  closedBy: ClosedBy | null;
  endedAt: number | null;
  ratingOpenUntil: number | null;
  rating: { score: number; requestIds: string[] } | null;
  /** Counter for deterministic ids of workflow-written messages (idempotent inserts). */
  messageCounter: number;
  /** Monotonic revision for the PostgreSQL projection. */
  revision: number;
  lastActivityAt: number;
  /** Set when an agent wrote and the visitor has not answered yet. */
  awaitingVisitorSince: number | null;
  reminderSent: boolean;
  /** When the current agent took the conversation: earlier agent messages do not start the no-reply wait. */
  servedSince?: number | null;
  /** Live chat is not signalled: the transcript up to this time is reflected in the fields above. */
  chatKnownAt?: number | null;
  lastQueueNoticeAt: number | null;
  /** Ids of recently signalled messages (flow input): a re-sent signal (API retry after a crash) is ignored. */
  recentMessageIds: string[];
  /** Prompts of the hand-off node that queued the conversation; `nobodyOnline`: its policy when nobody is signed in (issue 19). */
  handoff: { connected: string; failed: string; nobodyOnline?: 'queue' | 'message' | 'fail' } | null;
  /** Issue 19: when the conversation was put in the queue (the wait limit counts from it). */
  queuedSince?: number | null;
  /** Issue 19: the visitor was offered to leave a message (the offer stays open until the conversation is served or ends). */
  leaveMessage?: { reason: 'nobodyOnline' | 'outOfHours' | 'waitLimit'; at: number } | null;
  /** Issue 19: queue reminders fired so far, and the position the last one said. */
  queueReminders?: number;
  remindedPosition?: number | null;
  /** Hand-offs failed since the visitor last answered the bot (a flow looping handoff → failed → handoff). */
  handoffFailures?: number;
  /** Issue 19: the locale the visitor switched to since the start (input.locale until then). */
  locale?: string;
}

export function initialSnapshot(conversationId: string, now: number): ConversationSnapshot {
  return {
    conversationId,
    status: 'bot',
    flow: { state: null, wait: 'input' },
    agentId: null,
    agentName: null,
    teamId: null,
    queuePosition: null,
    waitNo: null,
    closedBy: null,
    endedAt: null,
    ratingOpenUntil: null,
    rating: null,
    messageCounter: 0,
    revision: 0,
    lastActivityAt: now,
    awaitingVisitorSince: null,
    reminderSent: false,
    servedSince: null,
    chatKnownAt: null,
    lastQueueNoticeAt: null,
    handoff: null,
    recentMessageIds: [],
  };
}
