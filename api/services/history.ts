import { conversationQueries, listMessages, type ConversationQueries } from '../../db/queries.js';
import {
  agentServed, agentServesVisitor, historyPage, tagsOf, visitorPastConversations, type decodeCursor, type HistoryFilters,
} from '../../db/history.js';
import { findVisitor } from '../../db/visitors.js';
import type { HistoryPage, Transcript } from '../../domain/contracts/rest.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { forbidden, notFound } from '../http/errors.js';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/**
 * History and transcripts for staff. The transcript rule (docs/security.md, "History and transcripts"):
 * an admin reads every conversation; an agent one they served (held it, transferred it away or took it
 * over), or any earlier conversation of a visitor they are serving right now. Visitors read their own
 * through GET /api/conversations/{id}/messages, not here.
 */
export function historyService(ctx: ApiContext) {
  const { db } = ctx.database;
  let chat: ConversationQueries | null = null; // prepared on first use, not while the routes are built

  const staffOnly = (principal: Principal | null): StaffPrincipal => {
    if (principal?.kind !== 'staff') throw forbidden();
    return principal;
  };

  return {
    /** The caller's own conversations ("My conversations"), also for an admin. */
    async myConversations(principal: Principal | null, filters: HistoryFilters, cursor: ReturnType<typeof decodeCursor>, limit: number): Promise<HistoryPage> {
      const me = staffOnly(principal);
      return historyPage(db, { agentId: me.userId, filters, cursor, limit });
    },

    async transcript(principal: Principal | null, conversationId: string): Promise<Transcript> {
      const me = staffOnly(principal);
      const conversation = await (chat ??= conversationQueries(db)).summary(conversationId);
      if (!conversation) throw notFound('Conversation');
      if (me.role !== 'admin'
        && !(await agentServed(db, me.userId, conversationId))
        && !(await agentServesVisitor(db, me.userId, conversation.visitorId))) {
        throw forbidden('You did not serve this conversation and are not serving its visitor');
      }
      const [messages, tags] = await Promise.all([listMessages(db, conversationId), tagsOf(db, [conversationId])]);
      return { conversation, tags: tags.get(conversationId) ?? [], messages };
    },

    async visitorConversations(principal: Principal | null, visitorId: string, limit: number) {
      const me = staffOnly(principal);
      if (me.role !== 'admin' && !(await agentServesVisitor(db, me.userId, visitorId))) {
        throw forbidden('Only the agent serving this visitor sees their earlier conversations');
      }
      if (!(await findVisitor(db, visitorId))) throw notFound('Visitor');
      return { conversations: await visitorPastConversations(db, visitorId, limit) };
    },
  };
}
export type HistoryService = ReturnType<typeof historyService>;
