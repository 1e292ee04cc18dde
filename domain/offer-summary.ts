import type { ChatMessage, MessageBody } from './messages.js';

/**
 * What the visitor asked before reaching an agent, shown on an offer card (and a transfer request): the menu
 * choices in order, the form answers, their first free-text message, when they started waiting, VIP.
 * Bounded, so an offer event stays small whatever the visitor typed.
 */
export interface OfferSummary {
  menuPath: string[];
  formAnswers: Array<{ prompt: string; answer: string }>;
  firstMessage: string | null;
  /** When the conversation joined the queue (ISO); the card counts the wait from it. */
  waitingSince: string | null;
  vip: boolean;
}

export const OFFER_SUMMARY_LIMITS = {
  /** Transcript entries read from the start of the conversation. */
  messages: 60,
  menuChoices: 8,
  formAnswers: 8,
  textChars: 160,
  firstMessageChars: 280,
} as const;

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

type Entry = Pick<ChatMessage, 'sender'> & { body: MessageBody; createdAt?: string };

/**
 * Reads the summary from the start of a transcript (ordered by seq): a visitor's text right after a bot menu is
 * the choice, right after a bot form the answer; the first other visitor text is their first message. Without the
 * desk's queue time (`waitingSince`: an offer made at once leaves no queue row) the wait counts from the visitor's
 * last answer to the bot, which is what sent them to an agent, or from `startedAt`.
 */
export function summarizeTranscript(entries: Entry[], extra: { waitingSince: string | null; vip: boolean; startedAt?: string | null }): OfferSummary {
  const L = OFFER_SUMMARY_LIMITS;
  const summary: OfferSummary = { menuPath: [], formAnswers: [], firstMessage: null, waitingSince: extra.waitingSince, vip: extra.vip };
  let lastAnswerAt: string | null = null;
  let asked: Extract<MessageBody, { kind: 'menu' } | { kind: 'form' }> | null = null;
  for (const m of entries.slice(0, L.messages)) {
    if (m.sender === 'bot' && (m.body.kind === 'menu' || m.body.kind === 'form')) {
      asked = m.body;
      continue;
    }
    if (m.sender !== 'visitor' || m.body.kind !== 'text') continue;
    const text = m.body.text;
    if (asked) lastAnswerAt = m.createdAt ?? lastAnswerAt;
    if (asked?.kind === 'menu') {
      if (summary.menuPath.length < L.menuChoices) summary.menuPath.push(clip(text, L.textChars));
    } else if (asked?.kind === 'form') {
      if (summary.formAnswers.length < L.formAnswers) summary.formAnswers.push({ prompt: clip(asked.prompt, L.textChars), answer: clip(text, L.textChars) });
    } else if (summary.firstMessage === null) {
      summary.firstMessage = clip(text, L.firstMessageChars);
    }
    asked = null;
  }
  summary.waitingSince ??= lastAnswerAt ?? extra.startedAt ?? null;
  return summary;
}
