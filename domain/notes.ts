import { z } from 'zod';
import { MAX_TEXT_LENGTH } from './messages.js';

/**
 * Private notes (issue 18): staff-only entries in a conversation's transcript, never sent to its visitor.
 * Written by the agent holding the conversation, or by an admin (a supervisor's whisper to that agent).
 * `@nickname` (or `@` and the part of the e-mail address before the `@`) mentions another member of staff.
 */
export const NoteInputSchema = z.object({
  clientId: z.uuid(),
  text: z.string().trim().min(1, 'text must not be empty').max(MAX_TEXT_LENGTH),
}).strict();
export type NoteInput = z.infer<typeof NoteInputSchema>;

export interface Mentionable { id: string; nickname: string; email: string }

/**
 * Who a note's text mentions: `@Nickname` or `@emailname`, case-insensitive, where the `@` starts a word (so an
 * e-mail address like someone@bob.example mentions nobody) and the handle is not followed by a letter or digit.
 */
export function mentionsIn(text: string, staff: Mentionable[]): Mentionable[] {
  const lower = text.toLowerCase();
  const at = (handle: string) => {
    const h = `@${handle.toLowerCase()}`;
    for (let i = lower.indexOf(h); i >= 0; i = lower.indexOf(h, i + 1)) {
      const [before, next] = [lower.charAt(i - 1), lower.charAt(i + h.length)];
      if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(next)) return true;
    }
    return false;
  };
  return staff.filter((s) => (s.nickname.trim() && at(s.nickname.trim())) || at(s.email.split('@')[0]));
}

/** The first characters of a note, for a mention's notification. */
export const excerptOf = (text: string, max = 140) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** `note:mention`: a note in `conversationId` mentions the receiving agent. */
export interface NoteMentionEvent { conversationId: string; messageId: string; authorName: string; visitorName: string; excerpt: string; createdAt: string }
export const NoteMentionSchema = z.object({
  conversationId: z.uuid(), messageId: z.uuid(), authorName: z.string(), visitorName: z.string(), excerpt: z.string(), createdAt: z.string(),
});
