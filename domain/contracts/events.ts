import { z } from 'zod';
import { AgentStatusSchema } from '../agents.js';
import { OutgoingTextSchema, RatingInputSchema, type ChatMessage } from '../messages.js';
import { ChannelSchema, LocaleSchema, type ConversationStatus, type ConversationSummary } from '../conversation.js';
import type { OfferSummary } from '../offer-summary.js';
import { NoteInputSchema, type NoteMentionEvent } from '../notes.js';
import { ClassificationInputSchema, type Classification } from '../classification.js';
import type { ChannelAvailability } from '../availability.js';
import type { Wallboard } from '../wallboard.js';

/**
 * Socket.IO contract. Clients connect to path `/socket.io` with `auth: { token }` (a visitor token or a
 * staff token). Every client→server event takes a payload and an ack callback; the ack is
 * `{ ok: true, ... }` or `{ ok: false, error: { code, message, field? } }`. See docs/socket-events.md.
 */
export interface AckError {
  /** `unavailable`: PostgreSQL or Temporal is unreachable for now (REST: 503 with Retry-After); try again. */
  code: 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'method_not_allowed' | 'unavailable' | 'internal';
  message: string;
  field?: string;
  /** `internal` only: the id the server logged the failure under (quote it when reporting a problem). */
  errorId?: string;
}
export type Ack<T = object> = (res: ({ ok: true } & T) | { ok: false; error: AckError }) => void;

/** Live view of a conversation pushed to its visitor and to the staff watching it. */
export interface ConversationStateEvent {
  conversationId: string;
  status: ConversationStatus;
  agentName: string | null;
  queuePosition: number | null;
  ratingOpenUntil: string | null;
  /** Issue 19: while queued, the estimated wait in seconds from recent service times (null: unknown; absent: not told). */
  estimatedWaitSec?: number | null;
}

export interface OfferEvent {
  conversationId: string; visitorName: string; teamId: string | null; expiresAt: string | null;
  /** What the visitor asked (menu path, form answers, first message, wait, VIP), added where the offer is published; absent if it could not be read. */
  summary?: OfferSummary;
}
export interface TransferRequestEvent {
  transferId: string; conversationId: string; fromAgentName: string; expiresAt: string;
  /** Issue 18 (filled in by the API/activities from the transfer's record, not by the desk workflow). */
  context?: TransferContext;
}
/** What the target of a transfer sees before accepting: the holder's note, who, the last messages, since when. */
export interface TransferContext {
  note: string | null; visitorName: string; startedAt: string;
  /** When the visitor's oldest unanswered message was sent (null: the visitor is not waiting for an answer). */
  waitingSince: string | null;
  lastMessages: Array<{ sender: 'visitor' | 'agent'; senderName: string | null; text: string; createdAt: string }>;
}
export interface TransferResultEvent { transferId: string; conversationId: string; outcome: 'accepted' | 'rejected' | 'expired' | 'moved' | 'queued' | 'cancelled'; toAgentName: string | null; toTeamId: string | null }
export interface AgentStateEvent {
  status: z.infer<typeof AgentStatusSchema>; load: number; maxConversations: number; conversationIds: string[];
  /**
   * The dispatcher's revision this state is from. States can arrive out of order (each turn's
   * notification is its own activity); a client keeps the one with the highest revision.
   */
  revision?: number;
}

/**
 * The visitor in context (issue 18): a visitor's profile or a conversation's journey changed; the staff who
 * may see it reload their side panel. Sent to admins and the agents of the visitor's open conversations only.
 */
export interface VisitorContextChangedEvent { visitorId: string; what: 'profile' | 'journey'; conversationId?: string }
// ---- alerts (issue 18) ----
export type { NoteMentionEvent };
/** The desk's routing settings the workbench needs (GET /api/settings/workbench), pushed to all staff when an admin changes them. */
export interface WorkbenchSettingsEvent { agentsMayJoinQueued: boolean; agentsMayChangeLimit: boolean }

export const VisitorMessagePayload = OutgoingTextSchema;
export const VisitorRatePayload = RatingInputSchema.extend({ requestId: z.uuid() });
/** Issue 19: the visitor's language changed (the app's switcher, the SDK's setLocale). */
export const VisitorLocalePayload = z.object({ locale: LocaleSchema }).strict();
export const AgentStatusPayload = z.object({ status: AgentStatusSchema, reason: z.string().max(200).optional() });
export const ConversationRefPayload = z.object({ conversationId: z.uuid() });
export const AgentMessagePayload = OutgoingTextSchema.extend({ conversationId: z.uuid() });
/** The holder's note to the target of a transfer (issue 18). */
export const TransferNoteSchema = z.string().trim().max(1000, 'note: at most 1000 characters');
export const TransferTargetSchema = z.object({ toAgentId: z.uuid().optional(), toTeamId: z.string().min(1).max(64).optional() });
const exactlyOneTarget = (p: { toAgentId?: string; toTeamId?: string }) => Boolean(p.toAgentId) !== Boolean(p.toTeamId);
export const TransferPayload = TransferTargetSchema.extend({ conversationId: z.uuid(), note: TransferNoteSchema.optional() })
  .refine(exactlyOneTarget, { message: 'give exactly one of toAgentId or toTeamId', path: ['toAgentId'] });
// Issue 18: notes, mentions, classification.
export const AgentNotePayload = NoteInputSchema.extend({ conversationId: z.uuid() }).strict();
export const ClassifyPayload = ClassificationInputSchema.extend({ conversationId: z.uuid() }).strict();
export const TransferAnswerPayload = z.object({ transferId: z.string().min(1).max(128), accept: z.boolean() });

// ---- composer: typing indicators and delivery/read receipts (docs/socket-events.md, "Typing and receipts")
/** Longest typing preview a visitor's client sends (and the server relays) when the desk enables previews. */
export const TYPING_PREVIEW_MAX = 200;
/** A visitor's typing state; `preview` only when the desk asked for it (the ack of an earlier event says so). */
export const VisitorTypingPayload = z.object({ typing: z.boolean(), preview: z.string().max(TYPING_PREVIEW_MAX).optional() });
export const AgentTypingPayload = z.object({ conversationId: z.uuid(), typing: z.boolean() });
const SeqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** The visitor's client got (`deliveredSeq`) and showed (`readSeq`) the conversation's messages up to these seqs. */
export const VisitorReceiptPayload = z.object({ conversationId: z.uuid(), deliveredSeq: SeqSchema, readSeq: SeqSchema.optional() });
/** The agent has read the conversation up to `readSeq` (unread counts survive a reload). */
export const AgentReadPayload = z.object({ conversationId: z.uuid(), readSeq: SeqSchema });

/** Someone in the conversation started or stopped typing. `preview` reaches staff only, when the desk enables it. */
export interface TypingEvent { conversationId: string; from: 'visitor' | 'agent'; name: string | null; typing: boolean; preview?: string }
/** How far the visitor's client has received and read the conversation (staff only). */
export interface ReceiptEvent { conversationId: string; deliveredSeq: number; readSeq: number }

// ---- issue 19: channel availability (when nobody can answer)
/** A visitor's socket follows a channel's availability (`channel:availability`); the ack carries it now. */
export const VisitorAvailabilityPayload = z.object({ channel: ChannelSchema }).strict();
export type { ChannelAvailability };

export interface ClientToServerEvents {
  // visitor (token scoped to one visitor; conversationId is implied by the visitor's open conversation)
  'visitor:message': (p: z.infer<typeof VisitorMessagePayload>, ack: Ack<{ message: ChatMessage }>) => void;
  'visitor:rate': (p: z.infer<typeof VisitorRatePayload>, ack: Ack) => void;
  'visitor:close': (p: Record<string, never>, ack: Ack) => void;
  'visitor:locale': (p: z.infer<typeof VisitorLocalePayload>, ack: Ack<{ locale: string }>) => void;
  /** Issue 19: follow a channel's online / away / offline state (the visitor's current conversation's channel is followed already). */
  'visitor:availability': (p: z.infer<typeof VisitorAvailabilityPayload>, ack: Ack<{ availability: ChannelAvailability }>) => void;
  // staff
  'agent:status': (p: z.infer<typeof AgentStatusPayload>, ack: Ack<{ state: AgentStateEvent }>) => void;
  'agent:accept': (p: z.infer<typeof ConversationRefPayload>, ack: Ack) => void;
  'agent:reject': (p: z.infer<typeof ConversationRefPayload>, ack: Ack) => void;
  'agent:message': (p: z.infer<typeof AgentMessagePayload>, ack: Ack<{ message: ChatMessage }>) => void;
  'agent:close': (p: z.infer<typeof ConversationRefPayload>, ack: Ack) => void;
  'agent:transfer': (p: z.infer<typeof TransferPayload>, ack: Ack<{ transferId: string; outcome: 'pending' | 'moved' | 'queued'; toAgentId: string | null; expiresAt: string | null }>) => void;
  'agent:transfer-answer': (p: z.infer<typeof TransferAnswerPayload>, ack: Ack) => void;
  /** Staff subscribe to a conversation's live messages (agents only to ones they hold; admins to any). */
  'conversation:watch': (p: z.infer<typeof ConversationRefPayload>, ack: Ack) => void;
  // composer (typing, receipts): the ack of `visitor:typing` tells whether the desk wants a preview
  'visitor:typing': (p: z.infer<typeof VisitorTypingPayload>, ack: Ack<{ preview: boolean }>) => void;
  'visitor:receipt': (p: z.infer<typeof VisitorReceiptPayload>, ack: Ack<{ deliveredSeq: number; readSeq: number }>) => void;
  'agent:typing': (p: z.infer<typeof AgentTypingPayload>, ack: Ack) => void;
  'agent:read': (p: z.infer<typeof AgentReadPayload>, ack: Ack<{ readSeq: number }>) => void;
  /** Issue 18: a private note (holder or admin), never sent to the visitor. */
  'agent:note': (p: z.infer<typeof AgentNotePayload>, ack: Ack<{ message: ChatMessage }>) => void;
  /** Issue 18: set tags / call reason / remarks / handled number (holder, a past server of it, or admin). */
  'conversation:classify': (p: z.infer<typeof ClassifyPayload>, ack: Ack<{ classification: Classification }>) => void;
}

export interface ServerToClientEvents {
  message: (m: ChatMessage) => void;
  'conversation:state': (s: ConversationStateEvent) => void;
  /** Admin console and agents' lists: a projection row changed. */
  'conversation:updated': (c: ConversationSummary) => void;
  offer: (o: OfferEvent) => void;
  'offer:revoked': (o: { conversationId: string; reason: 'expired' | 'taken' | 'closed' }) => void;
  'agent:state': (s: AgentStateEvent) => void;
  'transfer:request': (t: TransferRequestEvent) => void;
  'transfer:result': (t: TransferResultEvent) => void;
  'visitor-context:changed': (e: VisitorContextChangedEvent) => void;
  typing: (t: TypingEvent) => void;
  receipt: (r: ReceiptEvent) => void;
  /** Issue 18: a note mentions this agent (sent to the mentioned agent's room only). */
  'note:mention': (m: NoteMentionEvent) => void;
  'desk:settings': (s: WorkbenchSettingsEvent) => void;
  /** Issue 18: a conversation's classification changed (staff room of the conversation). */
  'conversation:classified': (c: Classification) => void;
  /** Issue 19: a channel the visitor follows turned online, away or offline, or its typical reply time changed. */
  'channel:availability': (a: ChannelAvailability) => void;
  /** Issue 21: the live wallboard (admins), at most once a second per API process while the desk changes. */
  wallboard: (w: Wallboard) => void;
}

/** Socket.IO rooms. The worker emits to these through the Postgres emitter. */
export const rooms = {
  conversation: (id: string) => `conversation:${id}`,
  agent: (id: string) => `agent:${id}`,
  /** Staff only (holder, watching admins, mentioned agents): private notes go here, never to `conversation`. */
  conversationStaff: (id: string) => `conversation-staff:${id}`,
  admins: 'admins',
  /** Issue 19: visitors following a channel's availability. */
  availability: (channel: string) => `availability:${channel}`,
  staff: 'staff',
};
