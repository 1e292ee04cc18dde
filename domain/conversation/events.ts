import type { ConversationStatus } from '../conversation.js';
import type { ClosedBy, MessageBody } from '../messages.js';
import type { HttpOutcome, HttpRequestSpec } from '../flow/types.js';
import type { ChatActivity } from './chat-activity.js';
import type { SlottedText } from '../flow/interpolate.js';

/** A rating the API checked against the projection and accepted at `submittedAt` (epoch ms, the API's clock). */
export interface RateSubmission { score: number; comment?: string; resolved?: boolean; requestId: string; submittedAt: number }

/**
 * What happens to a conversation: the signals it receives, its timer firing and the answers of the
 * reads it asked for (commands marked "answers with" below). Each is handled at one workflow time.
 */
export type ConversationEvent =
  | { type: 'started' }
  | { type: 'visitorMessage'; messageId: string; text: string; choiceId?: string }
  | { type: 'queuePosition'; position: number; waitNo: number }
  | { type: 'offered'; agentId: string; agentName: string }
  | { type: 'assigned'; agentId: string; agentName: string; teamId: string | null }
  | { type: 'transferred'; agentId: string; agentName: string; teamId: string | null }
  | { type: 'requeued'; reason: string; teamId?: string | null; teamName?: string }
  /** `reason`: NOBODY_SIGNED_IN when the desk refused an enqueue asked to fail with nobody signed in (issue 19). */
  | { type: 'handoffFailed'; reason?: string }
  /** Issue 19: the visitor left a message (stored by the API) instead of waiting: the conversation ends. */
  | { type: 'messageLeft'; leftMessageId: string }
  /** Issue 19: the queued visitor's last connection closed and did not come back within the grace period. */
  | { type: 'visitorLeftQueue' }
  | { type: 'close'; by: ClosedBy; releasedAtDesk?: boolean }
  | { type: 'rate'; submission: RateSubmission }
  /** Issue 19: the visitor's language changed. */
  | { type: 'locale'; locale: string }
  /** The armed timer (`Conversation.timer()`) fired. */
  | { type: 'timerFired' }
  | { type: 'webhookResult'; outcome: HttpOutcome }
  | { type: 'queueStanding'; position: number | null; lastNoticeAt: number | null; estimatedWaitSec?: number | null }
  /** The transcript's latest chat messages, read at `readAt`. */
  | { type: 'chatRead'; chat: ChatActivity; readAt: number };

/** The conversation's row in PostgreSQL (written by the `projectConversation` activity). */
export interface ConversationProjection {
  conversationId: string;
  revision: number;
  status: ConversationStatus;
  agentId: string | null;
  teamId: string | null;
  queuePosition: number | null;
  closedBy: ClosedBy | null;
  rating: number | null;
  endedAt: number | null;
  ratingOpenUntil: number | null;
  agentName: string | null;
  /** The flow's variables (form answers, …) for the agent's side panel; absent in projections of older releases. */
  flowVars?: Record<string, string>;
}

/** What the workflow carries out, in order. Commands that read something answer with an event. */
export type ConversationCommand =
  /** Messages from the bot or the system (ids are made by the workflow); `projection` is written with them. */
  | { type: 'say'; sender: 'bot' | 'system'; messages: Array<{ clientId: string; body: MessageBody }>; projection?: ConversationProjection }
  /** Writes the projection; `index`: upsert these search attributes first. */
  | { type: 'project'; projection: ConversationProjection; index?: { status: ConversationStatus; agent: string | null; team: string | null } }
  /**
   * Puts the conversation in the desk's queue (the workflow stamps `enqueuedAt`); `failIfNobodyOnline`: the desk
   * answers handoffFailed instead when no agent of the team is signed in.
   */
  | { type: 'enqueue'; teamId: string | null; queueNotice: SlottedText; failIfNobodyOnline?: true }
  /** Frees the agent's slot or the queue entry at the desk. */
  | { type: 'release' }
  /** Answers with `webhookResult`. */
  | { type: 'callWebhook'; request: HttpRequestSpec }
  /** Answers with `queueStanding`. */
  | { type: 'readQueueStanding' }
  /** Answers with `chatRead`. */
  | { type: 'readChat'; agentId: string | null }
  /** `details`: issue 19's options (absent for conversations started before them). */
  | { type: 'storeRating'; score: number; comment: string | null; requestId: string; replacePrevious: boolean; counted?: false; details?: RatingDetails };

/** What a rating records beyond its score (issue 19). */
export interface RatingDetails { scale: number; label: string | null; resolved: boolean | null }

/** The events that answer a command. */
export type CommandAnswer = Extract<ConversationEvent, { type: 'webhookResult' | 'queueStanding' | 'chatRead' }>;
