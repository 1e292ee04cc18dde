import { and, eq, lt } from 'drizzle-orm';
import { conversationQueries, type ConversationQueries } from '../db/queries.js';
import { conversations } from '../db/schema.js';
import { rooms } from '../shared/events.js';
import type { ConversationStatus } from '../shared/conversation.js';
import type { ClosedBy } from '../shared/messages.js';
import type { ActivityDeps } from './deps.js';
import type { Outgoing } from './socket-emitter.js';

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

/**
 * Writes the workflow's state into the conversations table (newer revisions only) and returns the
 * socket events that tell the apps, for the caller to publish (with others, in one statement).
 */
export async function writeProjection({ db, emitter }: Pick<ActivityDeps, 'db' | 'emitter'>, queries: ConversationQueries, p: ProjectionInput): Promise<Outgoing[]> {
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
  if (!summary) return [];
  const out: Outgoing[] = [];
  // Transferred or requeued: the previous agent stops receiving this conversation's live messages.
  if (before?.agentId && before.agentId !== summary.agentId) {
    out.push(emitter.leave(rooms.agent(before.agentId), [rooms.conversation(p.conversationId)]));
  }
  out.push(emitter.event(rooms.conversation(p.conversationId), 'conversation:state', {
    conversationId: p.conversationId,
    status: p.status,
    agentName: p.agentName,
    queuePosition: summary.queuePosition,
    ratingOpenUntil: p.ratingOpenUntil === null ? null : new Date(p.ratingOpenUntil).toISOString(),
  }));
  const targets = [rooms.admins, ...(summary.agentId ? [rooms.agent(summary.agentId)] : [])];
  out.push(emitter.event(targets, 'conversation:updated', summary));
  return out;
}

export function projectionActivities(deps: ActivityDeps) {
  const queries = conversationQueries(deps.db);
  return {
    /** Writes the workflow's state into the conversations table (newer revisions only) and tells the apps. */
    async projectConversation(p: ProjectionInput): Promise<void> {
      await deps.emitter.publish(await writeProjection(deps, queries, p));
    },
  };
}
