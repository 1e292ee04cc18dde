import { rooms, type TypingEvent } from '../../domain/contracts/events.js';
import type { ComposerSettings, ConversationReceipts } from '../../domain/composer.js';
import { loadComposerSettings, saveComposerSettings } from '../../db/composer-settings.js';
import { advanceReadPosition, readPosition, VISITOR_READER } from '../../db/receipts.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden } from '../http/errors.js';
import type { ConversationService } from './conversations.js';
import { visitorRoom } from '../socket/visitor.js';

const CLOSED = new Set(['rating', 'ended']);
/** Typing events read the desk's preview setting; a change reaches every API process within this long. */
const SETTINGS_TTL_MS = 2_000;

/**
 * Typing indicators and delivery/read receipts. What a visitor does reaches staff only (the conversation's
 * room except the visitor's own sockets); what the agent types reaches the visitor and other staff watching.
 */
export function composerService(ctx: ApiContext, conversations: ConversationService) {
  const { db } = ctx.database;
  let cached: { at: number; settings: ComposerSettings } | null = null;
  const settings = async () => {
    if (!cached || Date.now() - cached.at > SETTINGS_TTL_MS) cached = { at: Date.now(), settings: await loadComposerSettings(db) };
    return cached.settings;
  };
  /** The conversation's staff: its room without the visitor's own sockets. */
  const staffOf = (conversationId: string, visitorId: string) => ctx.io.to(rooms.conversation(conversationId)).except(visitorRoom(visitorId));

  return {
    settings,
    async saveSettings(next: ComposerSettings): Promise<ComposerSettings> {
      await saveComposerSettings(db, next);
      cached = { at: Date.now(), settings: next };
      return next;
    },

    /** The visitor's typing state in their open conversation; the answer says whether the desk wants a preview. */
    async visitorTyping(visitorId: string, typing: boolean, preview: string | undefined): Promise<{ preview: boolean }> {
      const c = await conversations.currentForVisitor(visitorId);
      if (!c || CLOSED.has(c.status)) throw conflict('You have no open conversation');
      const { typingPreview } = await settings();
      const event: TypingEvent = { conversationId: c.id, from: 'visitor', name: c.visitorName, typing };
      if (typingPreview && typing && preview) event.preview = preview;
      staffOf(c.id, visitorId).emit('typing', event);
      return { preview: typingPreview };
    },

    /** The serving agent's typing state, relayed by the caller to the room (except the agent's own socket). */
    async agentTyping(principal: Principal & { kind: 'staff' }, conversationId: string, typing: boolean): Promise<TypingEvent> {
      const c = await conversations.getVisible(principal, conversationId);
      if (c.agentId !== principal.userId) throw forbidden('Only the agent serving this conversation can type in it');
      if (CLOSED.has(c.status)) throw conflict('This conversation is closed');
      return { conversationId, from: 'agent', name: c.agentName, typing };
    },

    /** The visitor's client received (and, when visible and focused, showed) messages up to these seqs. */
    async visitorReceipt(visitorId: string, conversationId: string, deliveredSeq: number, readSeq = 0) {
      const c = await conversations.getVisible({ kind: 'visitor', visitorId }, conversationId);
      const position = await advanceReadPosition(db, c.id, VISITOR_READER, deliveredSeq, readSeq);
      staffOf(c.id, visitorId).emit('receipt', { conversationId: c.id, ...position });
      return position;
    },

    /** A staff user's read position (agents: conversations they hold or held; admins: any). */
    async staffRead(principal: Principal & { kind: 'staff' }, conversationId: string, readSeq: number) {
      await conversations.getVisible(principal, conversationId);
      const { readSeq: stored } = await advanceReadPosition(db, conversationId, principal.userId, readSeq, readSeq);
      return { readSeq: stored };
    },

    async receipts(principal: Principal, conversationId: string): Promise<ConversationReceipts> {
      await conversations.getVisible(principal, conversationId);
      const [visitor, mine] = await Promise.all([
        readPosition(db, conversationId, VISITOR_READER),
        principal.kind === 'staff' ? readPosition(db, conversationId, principal.userId) : Promise.resolve({ readSeq: 0 }),
      ]);
      return { conversationId, visitorDeliveredSeq: visitor.deliveredSeq, visitorReadSeq: visitor.readSeq, myReadSeq: mine.readSeq };
    },
  };
}
export type ComposerService = ReturnType<typeof composerService>;
