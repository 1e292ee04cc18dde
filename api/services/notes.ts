import { randomUUID } from 'node:crypto';
import { rooms } from '../../domain/contracts/events.js';
import type { ChatMessage } from '../../domain/messages.js';
import { mentionsIn, type NoteInput, type NoteMentionEvent } from '../../domain/notes.js';
import { findUser } from '../../db/accounts.js';
import { insertNote, mentionableStaff, mentionEvent, recentMentions, recordMentions } from '../../db/notes.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden } from '../http/errors.js';
import type { ConversationService } from './conversations.js';

/**
 * Private notes and mentions (issue 18). A note is stored in the transcript as staff only and pushed to
 * the conversation's staff room (never its visitor's room); every staff member it mentions gets
 * `note:mention` in their own room, and may read the conversation from then on (docs/security.md).
 */
export function notesService(ctx: ApiContext, conversations: ConversationService) {
  const { db } = ctx.database;
  return {
    /** The holder of the conversation, or an admin (a whisper to its agent), in any state of it. */
    async post(principal: Principal, conversationId: string, input: NoteInput): Promise<ChatMessage> {
      if (principal.kind !== 'staff') throw forbidden('Only staff can write private notes');
      const c = await conversations.getVisible(principal, conversationId);
      const admin = principal.role === 'admin';
      if (!admin && c.agentId !== principal.userId) throw forbidden('Only the agent serving this conversation or an admin can write a note in it');
      const author = await findUser(db, principal.userId);
      if (!author) throw forbidden();
      const mentioned = mentionsIn(input.text, await mentionableStaff(db)).filter((s) => s.id !== principal.userId);
      const stored = await insertNote(db, {
        id: randomUUID(), conversationId, authorId: principal.userId, authorName: author.nickname, clientId: input.clientId,
        body: { kind: 'note', text: input.text, mentions: mentioned.map((m) => ({ id: m.id, name: m.nickname })), whisper: admin && c.agentId !== principal.userId },
      });
      if (!stored) throw conflict('This clientId already belongs to another message');
      if (!stored.isNew) return stored.message;
      await recordMentions(db, stored.message.id, conversationId, mentioned.map((m) => m.id));
      ctx.io.to(rooms.conversationStaff(conversationId)).emit('message', stored.message);
      const event = mentionEvent(stored.message, c.visitorName);
      for (const m of mentioned) ctx.io.to(rooms.agent(m.id)).emit('note:mention', event);
      return stored.message;
    },

    async mentions(principal: Principal): Promise<NoteMentionEvent[]> {
      if (principal.kind !== 'staff') throw forbidden();
      return recentMentions(db, principal.userId);
    },
  };
}
export type NotesService = ReturnType<typeof notesService>;
