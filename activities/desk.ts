import { and, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { findConversationSummaries } from '../db/queries.js';
import { loadOfferSummaries } from '../db/offer-summaries.js';
import { workflowWriteQueries } from '../db/workflow-writes.js';
import { transferContexts } from '../db/transfer-context.js';
import { recordOffers } from '../db/reports/facts.js';
import { agentPresence, conversations, deskQueue } from '../db/schema.js';
import { rooms, type ServerToClientEvents } from '../domain/contracts/events.js';
import type { DeskProjection } from '../domain/desk/projection.js';
import type { OfferSummary } from '../domain/offer-summary.js';
import { DESK_NOTICE_KEY } from '../domain/desk/state.js';
import { WALLBOARD_CHANNEL } from '../domain/wallboard.js';
import type { ActivityDeps } from './deps.js';
import { storeWorkflowMessages } from './messages.js';
import type { Outgoing } from './socket-emitter.js';
import { fillSlots, type SlottedText } from '../domain/flow/interpolate.js';
import { formatWaitText } from '../domain/conversation/estimated-wait.js';
import { waitEstimator } from './estimated-wait.js';

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
    // Issue 21: the API processes' wallboards refresh (coalesced there); delivered at commit, so they read this.
    if (p.agents.length || p.queue.length) await tx.execute(sql`select pg_notify(${WALLBOARD_CHANNEL}, ${String(p.revision)})`);
  });
}

/**
 * Offers get what the visitor asked (OfferEvent.summary), read here rather than carried by the dispatcher, so
 * the workflow's history and code stay as they are. Best effort: an offer without it still goes out.
 */
export async function withOfferSummaries(db: Db, notes: AgentNotification[]): Promise<AgentNotification[]> {
  const offered = notes.flatMap((n) => (n.event === 'offer' ? [n.payload.conversationId] : []));
  if (offered.length === 0) return notes;
  const summaries = await loadOfferSummaries(db, offered).catch(() => new Map<string, OfferSummary>());
  return notes.map((n) => {
    const summary = n.event === 'offer' ? summaries.get(n.payload.conversationId) : undefined;
    return n.event === 'offer' && summary ? { ...n, payload: { ...n.payload, summary } } : n;
  });
}

/** A position notice the desk writes into a waiting conversation's transcript. */
export interface QueueNotice {
  conversationId: string;
  messageId: string;
  /** `desk:<n>` (DESK_NOTICE_KEY), unique per desk: a retried activity never writes twice. */
  clientId: string;
  text: string;
  position: number;
  waitNo: number;
  /** Issue 19: the text with `${EstimatedWait}` still open (the queue text uses it): filled here from recent service times. */
  template?: SlottedText;
}

export function deskActivities({ db, emitter }: ActivityDeps) {
  const writes = workflowWriteQueries(db);
  const waits = waitEstimator(db);
  return {
    /**
     * Where a waiting conversation stands (for its queue reminder): its position in the desk's
     * projection (null once it no longer waits) and when the desk last told the visitor (ms epoch).
     */
    async queueStanding(input: { conversationId: string }): Promise<{ position: number | null; lastNoticeAt: number | null; estimatedWaitSec: number | null }> {
      const { rows } = await db.execute<{ position: number | null; last_notice_at: string | number | null }>(sql`
        select (select position from desk_queue where conversation_id = ${input.conversationId} and queued) as position,
               (select (extract(epoch from max(created_at)) * 1000)::float8 from messages
                 where conversation_id = ${input.conversationId} and sender = 'system' and client_id like ${DESK_NOTICE_KEY + '%'}) as last_notice_at`);
      const row = rows[0];
      const position = row?.position ?? null;
      return {
        position,
        lastNoticeAt: row?.last_notice_at == null ? null : Math.floor(Number(row.last_notice_at)),
        estimatedWaitSec: await waits.estimate(position),
      };
    },

    /**
     * The visitors' queue position notices, written by the desk for all of them at once (a signal and a
     * workflow task per waiting conversation made every dequeue cost O(queue length); bench `assign`).
     * Skipped for a conversation whose projection says it no longer waits.
     */
    async postQueueNotices(input: { notices: QueueNotice[] }): Promise<void> {
      const ids = [...new Set(input.notices.map((n) => n.conversationId))];
      const localeOf = new Map((await db.select({ id: conversations.id, locale: conversations.locale }).from(conversations)
        .where(and(inArray(conversations.id, ids), inArray(conversations.status, ['queued', 'offered'])))).map((r) => [r.id, r.locale]));
      const waiting = new Set(localeOf.keys());
      const notices = input.notices.filter((n) => waiting.has(n.conversationId));
      if (notices.length === 0) return;
      const estimated = new Map<string, number | null>();
      for (const n of notices) estimated.set(n.conversationId, await waits.estimate(n.position));
      await storeWorkflowMessages(writes, emitter, notices.map((n) => ({
        id: n.messageId, conversationId: n.conversationId, clientId: n.clientId, sender: 'system',
        body: {
          kind: 'queue', position: n.position, waitNo: n.waitNo,
          text: n.template
            ? fillSlots(n.template, { EstimatedWait: formatWaitText(estimated.get(n.conversationId) ?? null, localeOf.get(n.conversationId)) })
            : n.text,
        },
      })));
      // The visitor's live state and the admins' live list show the new position too. The position is
      // the notice's: the desk projection that lists read is written by another activity, maybe not yet.
      const latest = new Map(notices.map((n) => [n.conversationId, n.position]));
      const told = [...latest.keys()];
      const summaries = (await findConversationSummaries(db, inArray(conversations.id, told), told.length))
        .map((summary) => (summary.status === 'queued' ? { ...summary, queuePosition: latest.get(summary.id) ?? summary.queuePosition } : summary));
      await emitter.publish(summaries.flatMap((summary) => [
        emitter.event(rooms.conversation(summary.id), 'conversation:state', {
          conversationId: summary.id, status: summary.status, agentName: summary.agentName, queuePosition: summary.queuePosition, ratingOpenUntil: null,
          estimatedWaitSec: estimated.get(summary.id) ?? null,
        }),
        emitter.event(rooms.admins, 'conversation:updated', summary),
      ]));
    },

    /**
     * The dispatcher's side effects of one turn: the desk projection in PostgreSQL first (lists and
     * checks read it, so an agent told about a change finds it there), then the agents' sockets.
     */
    async publishDeskChanges(input: { notes: AgentNotification[]; projection: DeskProjection | null }): Promise<void> {
      if (input.projection) await projectDesk(db, input.projection);
      // Issue 21: offers and their revocations, for the reports (db/reports/facts.ts); never holds up the desk.
      await recordOffers(db, input.notes.flatMap((n) => (n.event === 'offer' || n.event === 'offer:revoked'
        ? [n.event === 'offer' ? { event: n.event, agentId: n.agentId, conversationId: n.payload.conversationId }
          : { event: n.event, agentId: n.agentId, conversationId: n.payload.conversationId, reason: n.payload.reason }] : []))).catch((err: unknown) => {
        console.warn('[reports] offers not recorded:', err instanceof Error ? err.message : err);
      });
      const notes = await withOfferSummaries(db, input.notes);
      const event = emitter.event.bind(emitter) as (room: string, ev: string, payload: unknown) => Outgoing;
      // Issue 18: a transfer request carries what its target needs to decide (note, visitor, last messages, wait).
      const requests = notes.flatMap((n) => (n.event === 'transfer:request' ? [n.payload] : []));
      const contexts = await transferContexts(db, requests);
      await emitter.publish(notes.map((n) => {
        const context = n.event === 'transfer:request' ? contexts.get(n.payload.transferId) : undefined;
        return event(rooms.agent(n.agentId), n.event, context ? { ...n.payload, context } : n.payload);
      }));
    },
  };
}
