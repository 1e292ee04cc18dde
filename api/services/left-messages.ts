import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { messageLeftSignal } from '../../domain/contracts/conversation-workflow.js';
import { isWorkflowGone } from '../../domain/contracts/temporal-errors.js';
import type { ConversationSummary } from '../../domain/conversation.js';
import type { LeftMessage, LeftMessageFilter, LeftMessageInput } from '../../domain/left-messages.js';
import { conversations as conversationsTable } from '../../db/schema.js';
import { findLeftMessage, insertLeftMessage, leaveMessageOffer, listLeftMessages, setLeftMessageHandled } from '../../db/left-messages.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import type { ConversationService } from './conversations.js';

/** Statuses in which a leave-a-message offer can still be taken (served or closed conversations cannot). */
const WAITING = new Set(['bot', 'queued', 'offered']);
const SETTLE_MS = 5_000;

/**
 * Issue 19: a visitor leaves a message instead of waiting, and staff answer it. Access: the visitor only
 * for their own open conversation while its offer is open; every member of staff (agents and admins) lists
 * them and marks them handled: a left message is the desk's, not one agent's (docs/security.md).
 */
export function leftMessageService(ctx: ApiContext, conversations: ConversationService) {
  const { db } = ctx.database;

  async function waitClosed(id: string): Promise<ConversationSummary> {
    const until = Date.now() + SETTLE_MS;
    for (;;) {
      const c = await conversations.get(id);
      if (c.status === 'ended' || c.status === 'rating' || Date.now() >= until) return c;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    /** Stores the visitor's message and ends the conversation (the workflow closes it: `left-message`). */
    async submit(principal: Principal, input: LeftMessageInput): Promise<{ leftMessage: LeftMessage; conversation: ConversationSummary }> {
      if (principal.kind !== 'visitor') throw forbidden('Only a visitor can leave a message');
      const c = await conversations.currentForVisitor(principal.visitorId);
      if (!c) throw conflict('You have no open conversation');
      const offer = WAITING.has(c.status) ? await leaveMessageOffer(db, c.id) : null;
      if (!offer) throw conflict('This conversation does not offer to leave a message');
      const stored = await insertLeftMessage(db, {
        id: randomUUID(), conversationId: c.id, visitorId: principal.visitorId, channel: c.channel, reason: offer.reason,
        name: input.name, email: input.email || null, phone: input.phone || null, message: input.message,
      });
      try {
        await ctx.temporal.workflow.getHandle(c.workflowId).signal(messageLeftSignal, { leftMessageId: stored.id });
      } catch (err) {
        if (!isWorkflowGone(err)) throw err;
        // Its workflow is gone: the message is kept for staff, the conversation's row says it ended.
        await db.update(conversationsTable).set({ status: 'ended', closedBy: 'left-message', endedAt: new Date() }).where(eq(conversationsTable.id, c.id));
      }
      return { leftMessage: (await findLeftMessage(db, stored.id))!, conversation: await waitClosed(c.id) };
    },

    async list(principal: Principal, filter: LeftMessageFilter, limit: number): Promise<LeftMessage[]> {
      if (principal.kind !== 'staff') throw forbidden();
      return listLeftMessages(db, filter, limit);
    },

    async setHandled(principal: Principal, id: string, handled: boolean): Promise<LeftMessage> {
      if (principal.kind !== 'staff') throw forbidden();
      if (!(await setLeftMessageHandled(db, id, principal.userId, handled))) throw notFound('Left message');
      return (await findLeftMessage(db, id))!;
    },
  };
}
export type LeftMessageService = ReturnType<typeof leftMessageService>;
