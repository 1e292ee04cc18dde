import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agentPresence, deskQueue } from '../db/schema.js';
import { rooms, type ServerToClientEvents } from '../shared/events.js';
import type { DeskProjection } from '../workflows/dispatcher/projection.js';
import type { ActivityDeps } from './deps.js';

type NotifiedEvent = 'offer' | 'offer:revoked' | 'agent:state' | 'transfer:request' | 'transfer:result';
export type AgentNotification = { [E in NotifiedEvent]: { agentId: string; event: E; payload: Parameters<ServerToClientEvents[E]>[0] } }[NotifiedEvent];

/** Writes the dispatcher's changed agents and queue rows; a row is only replaced by a newer revision. */
export async function projectDesk(db: Db, p: DeskProjection): Promise<void> {
  await db.transaction(async (tx) => {
    if (p.agents.length) {
      await tx.insert(agentPresence)
        .values(p.agents.map((a) => ({ ...a, deskId: p.deskId, revision: p.revision })))
        .onConflictDoUpdate({
          target: agentPresence.agentId,
          set: {
            deskId: sql`excluded.desk_id`, status: sql`excluded.status`, reason: sql`excluded.reason`,
            maxConversations: sql`excluded.max_conversations`, conversationIds: sql`excluded.conversation_ids`,
            offeredIds: sql`excluded.offered_ids`, disconnected: sql`excluded.disconnected`, revision: sql`excluded.revision`, updatedAt: sql`now()`,
          },
          setWhere: lt(agentPresence.revision, sql`excluded.revision`),
        });
    }
    if (p.queue.length) {
      await tx.insert(deskQueue)
        .values(p.queue.map((q) => ({ ...q, enqueuedAt: new Date(q.enqueuedAt), deskId: p.deskId, revision: p.revision })))
        .onConflictDoUpdate({
          target: deskQueue.conversationId,
          set: {
            deskId: sql`excluded.desk_id`, teamId: sql`excluded.team_id`, vip: sql`excluded.vip`, visitorName: sql`excluded.visitor_name`,
            enqueuedAt: sql`excluded.enqueued_at`, seq: sql`excluded.seq`, position: sql`excluded.position`, queued: sql`excluded.queued`, revision: sql`excluded.revision`,
          },
          setWhere: lt(deskQueue.revision, sql`excluded.revision`),
        });
    }
  });
}

export function deskActivities({ db, emitter }: ActivityDeps) {
  return {
    /**
     * The dispatcher's side effects of one turn: the desk projection in PostgreSQL first (lists and
     * checks read it, so an agent told about a change finds it there), then the agents' sockets.
     */
    async publishDeskChanges(input: { notes: AgentNotification[]; projection: DeskProjection | null }): Promise<void> {
      if (input.projection) await projectDesk(db, input.projection);
      for (const n of input.notes) {
        await (emitter.emit as (room: string, ev: string, payload: unknown) => Promise<void>)(rooms.agent(n.agentId), n.event, n.payload);
      }
    },
  };
}
