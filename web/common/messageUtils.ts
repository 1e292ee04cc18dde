// `.js` specifiers so the unit tests (NodeNext resolution) can import this file too.
import type { ChatMessage, MessageBody, MessageKind, MAX_TEXT_LENGTH as SHARED_MAX_TEXT_LENGTH } from '../../domain/messages.js';

/** Same value as the server's limit; the type ties it to domain/messages.ts without bundling zod. */
export const MAX_TEXT_LENGTH: typeof SHARED_MAX_TEXT_LENGTH = 4000;

export type BodyOf<K extends MessageKind> = Extract<MessageBody, { kind: K }>;

/** Text the local user sent that the server has not confirmed yet. */
export interface PendingMessage {
  clientId: string;
  conversationId: string;
  text: string;
  choiceId?: string;
  state: 'sending' | 'failed';
  error?: string;
  createdAt: string;
}

/**
 * Merge messages into a transcript: one entry per id (a message can arrive in the history and live),
 * ordered by seq. Later copies replace earlier ones.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
  const byId = new Map<string, ChatMessage>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Drop pending entries the server has confirmed (matched by clientId). */
export function prunePending(pending: readonly PendingMessage[], messages: readonly ChatMessage[]): PendingMessage[] {
  if (pending.length === 0) return pending as PendingMessage[];
  const confirmed = new Set(messages.map((m) => m.clientId).filter((c): c is string => Boolean(c)));
  return pending.filter((p) => !confirmed.has(p.clientId));
}

export function previewText(body: MessageBody): string {
  switch (body.kind) {
    case 'text':
      return body.text;
    case 'menu':
      return body.header;
    case 'form':
      return body.prompt;
    case 'file':
      return body.name;
    default:
      return body.text;
  }
}

/** The visitor's rating attempt for the conversation's rating card. */
export interface RatingUiState {
  status: 'idle' | 'submitting' | 'done' | 'error';
  score?: number;
  error?: string;
}

export interface RatingSubmission {
  score: number;
  comment?: string;
  /** "Was your question resolved?" when the flow asks it (issue 19). */
  resolved?: boolean;
}
