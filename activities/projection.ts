import { conversationQueries, type ConversationQueries } from '../db/queries.js';
import { workflowWriteQueries, type WorkflowWriteQueries } from '../db/workflow-writes.js';
import { rooms } from '../domain/contracts/events.js';
import type { ConversationProjection } from '../domain/conversation/events.js';
import type { ActivityDeps } from './deps.js';
import type { Outgoing, SocketEmitter } from './socket-emitter.js';
import { waitEstimator, type WaitEstimator } from './estimated-wait.js';

/** The workflow's state as its `project` command carries it (times as epoch ms). */
export type ProjectionInput = ConversationProjection;

/**
 * Writes the workflow's state into the conversations table (newer revisions only) and returns the
 * socket events that tell the apps, for the caller to publish (with others, in one statement).
 */
export async function writeProjection(emitter: SocketEmitter, queries: ConversationQueries, writes: WorkflowWriteQueries,
    p: ProjectionInput, waits?: WaitEstimator): Promise<Outgoing[]> {
  const before = await writes.stateBefore(p.conversationId);
  const agentBefore = before?.agentId;
  await writes.project({ ...p, endedAt: p.endedAt === null ? null : new Date(p.endedAt), flowVars: p.flowVars ?? null });
  const summary = await queries.summary(p.conversationId);
  if (!summary) return [];
  // Issue 21: the reports' facts, on a change of status, agent or rating only (docs/metrics.md). A failure never
  // holds up the conversation: backfillReportFacts repairs its row.
  if (before && (before.status !== summary.status || before.agentId !== summary.agentId || before.rating !== summary.rating)) {
    await writes.recordStatusChange({ conversationId: p.conversationId, before: before.status, status: summary.status, agentId: summary.agentId })
      .catch((err: unknown) => console.warn(`[reports] facts of ${p.conversationId} not recorded:`, err instanceof Error ? err.message : err));
  }
  const out: Outgoing[] = [];
  // Transferred or requeued: the previous agent stops receiving this conversation's live messages.
  if (agentBefore && agentBefore !== summary.agentId) {
    out.push(emitter.leave(rooms.agent(agentBefore), [rooms.conversation(p.conversationId), rooms.conversationStaff(p.conversationId)]));
  }
  out.push(emitter.event(rooms.conversation(p.conversationId), 'conversation:state', {
    conversationId: p.conversationId,
    status: p.status,
    agentName: p.agentName,
    queuePosition: summary.queuePosition,
    ratingOpenUntil: p.ratingOpenUntil === null ? null : new Date(p.ratingOpenUntil).toISOString(),
    // Issue 19: a waiting visitor sees how long it may take.
    ...(waits && summary.status === 'queued' ? { estimatedWaitSec: await waits.estimate(summary.queuePosition) } : {}),
  }));
  const targets = [rooms.admins, ...(summary.agentId ? [rooms.agent(summary.agentId)] : [])];
  out.push(emitter.event(targets, 'conversation:updated', summary));
  return out;
}

export function projectionActivities(deps: ActivityDeps) {
  const queries = conversationQueries(deps.db);
  const writes = workflowWriteQueries(deps.db);
  const waits = waitEstimator(deps.db);
  return {
    /** Writes the workflow's state into the conversations table (newer revisions only) and tells the apps. */
    async projectConversation(p: ProjectionInput): Promise<void> {
      await deps.emitter.publish(await writeProjection(deps.emitter, queries, writes, p, waits));
    },
  };
}
