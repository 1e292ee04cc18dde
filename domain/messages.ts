import { z } from 'zod';
import { FileBodySchema } from './files.js';

/** Who wrote a transcript entry. `bot` is the service flow, `system` is Parley itself (timers, routing). */
export const SenderSchema = z.enum(['visitor', 'agent', 'bot', 'system']);
export type Sender = z.infer<typeof SenderSchema>;

/**
 * Who ended a conversation (Tencent's closeBy). `system`: Parley ended it because its workflow stopped
 * (terminated, failed or timed out) before the conversation closed (activities/stranded.ts).
 * `left-message` (issue 19): the visitor left a message for staff instead of waiting (domain/left-messages.ts).
 */
export const ClosedBySchema = z.enum(['visitor', 'agent', 'admin', 'timer', 'flow', 'system', 'left-message']);
export type ClosedBy = z.infer<typeof ClosedBySchema>;

export const MenuItemSchema = z.object({
  id: z.string().min(1).max(64),
  content: z.string().min(1).max(200),
  description: z.string().max(500).optional(),
});
export type MenuItem = z.infer<typeof MenuItemSchema>;

/** Typed message bodies: every kind the visitor and agent apps know how to render. */
export const MessageBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({
    kind: z.literal('menu'),
    nodeId: z.string(),
    header: z.string(),
    items: z.array(MenuItemSchema),
    tail: z.string().optional(),
  }),
  z.object({
    kind: z.literal('form'),
    nodeId: z.string(),
    prompt: z.string(),
    formType: z.enum(['text', 'options']),
    options: z.array(z.string()).optional(),
  }),
  z.object({ kind: z.literal('queue'), text: z.string(), position: z.number().int(), waitNo: z.number().int() }),
  z.object({ kind: z.literal('notice'), text: z.string() }),
  z.object({ kind: z.literal('transfer'), text: z.string(), toAgentName: z.string().optional(), toTeamName: z.string().optional() }),
  z.object({ kind: z.literal('timeout'), text: z.string() }),
  z.object({ kind: z.literal('end'), text: z.string(), closedBy: ClosedBySchema }),
  // Issue 19: the rating options travel with the invitation (absent: five stars, no labels, a comment box).
  z.object({
    kind: z.literal('rating-invite'), text: z.string(), validUntil: z.string(), scale: z.number().int(),
    style: z.enum(['stars', 'numeric']).optional(), labels: z.array(z.string()).optional(),
    resolvedText: z.string().optional(), comment: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('rating-result'), text: z.string(), score: z.number().int(),
    scale: z.number().int().optional(), label: z.string().optional(), resolved: z.boolean().optional(), comment: z.string().optional(),
  }),
  FileBodySchema,
  // Issue 19: the visitor is offered to leave a message (the visitor app shows the form while it is open).
  z.object({ kind: z.literal('leave-message'), text: z.string(), reason: z.enum(['nobodyOnline', 'outOfHours', 'waitLimit']) }),
  // Staff only (issue 18, domain/notes.ts): stored with messages.staff_only, never sent to the visitor.
  // `whisper`: written by an admin who does not hold the conversation, to its agent.
  z.object({ kind: z.literal('note'), text: z.string(), mentions: z.array(z.object({ id: z.string(), name: z.string() })), whisper: z.boolean() }),
]);
export type MessageBody = z.infer<typeof MessageBodySchema>;
export type MessageKind = MessageBody['kind'];

/** A transcript entry as stored in PostgreSQL and delivered to clients. */
export interface ChatMessage {
  id: string;
  conversationId: string;
  seq: number;
  sender: Sender;
  senderId: string | null;
  senderName: string | null;
  body: MessageBody;
  clientId: string | null;
  createdAt: string;
}

export const MAX_TEXT_LENGTH = 4000;

/** What a visitor or agent sends. `clientId` makes retries idempotent. */
export const OutgoingTextSchema = z.object({
  clientId: z.uuid(),
  text: z.string().trim().min(1, 'text must not be empty').max(MAX_TEXT_LENGTH),
  /** Set when the visitor clicked a menu item or form option instead of typing. */
  choiceId: z.string().max(64).optional(),
});
export type OutgoingText = z.infer<typeof OutgoingTextSchema>;

export const RatingInputSchema = z.object({
  /** 1..the flow's scale (5 unless the flow says otherwise; at most 10): the conversation checks its own. */
  score: z.number({ error: 'score is required' }).int().min(1).max(10),
  comment: z.string().max(1000).optional(),
  /** The answer to "was your question resolved?", when the flow asks it. */
  resolved: z.boolean().optional(),
});
export type RatingInput = z.infer<typeof RatingInputSchema>;
