import { and, eq, lt } from 'drizzle-orm';
import { conversationQueries } from '../db/queries.js';
import { conversations } from '../db/schema.js';
import { rooms } from '../shared/events.js';
import type { ConversationStatus } from '../shared/conversation.js';
import type { ClosedBy } from '../shared/messages.js';
import type { ActivityDeps } from './deps.js';

export interface ProjectionInput {
  conversationId: string;
  revision: number;
  status: ConversationStatus;
  agentId: string | null;
  agentName: string | null;
  teamId: string | null;
  queuePosition: number | null;
  closedBy: ClosedBy | null;
  rating: number | null;
  endedAt: number | null;
  ratingOpenUntil: number | null;
}

export function projectionActivities({ db, emitter }: ActivityDeps) {
  const queries = conversationQueries(db);
  return {
    /** Writes the workflow's state into the conversations table (newer revisions only) and tells the apps. */
    async projectConversation(p: ProjectionInput): Promise<void> {
      const [before] = await db.select({ agentId: conversations.agentId }).from(conversations).where(eq(conversations.id, p.conversationId));
      await db.update(conversations).set({
        status: p.status,
        agentId: p.agentId,
        teamId: p.teamId,
        queuePosition: p.queuePosition,
        closedBy: p.closedBy,
        rating: p.rating,
        revision: p.revision,
        updatedAt: new Date(),
        endedAt: p.endedAt === null ? null : new Date(p.endedAt),
      }).where(and(eq(conversations.id, p.conversationId), lt(conversations.revision, p.revision)));
      const summary = await queries.summary(p.conversationId);
      if (!summary) return;
      // Transferred or requeued: the previous agent stops receiving this conversation's live messages.
      if (before?.agentId && before.agentId !== summary.agentId) {
        await emitter.socketsLeave(rooms.agent(before.agentId), [rooms.conversation(p.conversationId)]);
      }
      await emitter.emit(rooms.conversation(p.conversationId), 'conversation:state', {
        conversationId: p.conversationId,
        status: p.status,
        agentName: p.agentName,
        queuePosition: summary.queuePosition,
        ratingOpenUntil: p.ratingOpenUntil === null ? null : new Date(p.ratingOpenUntil).toISOString(),
      });
      const targets = [rooms.admins, ...(summary.agentId ? [rooms.agent(summary.agentId)] : [])];
      await emitter.emit(targets, 'conversation:updated', summary);
    },
  };
}
