import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { teamMembers, transfers } from '../db/schema.js';
import { conversationWorkflowId } from '../domain/ids.js';
import { isWorkflowGone } from '../domain/contracts/temporal-errors.js';
import { handoffFailedSignal } from '../domain/contracts/conversation-workflow.js';
import { enqueueUpdate, releaseUpdate } from '../domain/contracts/dispatcher-workflow.js';
import type { Transfer } from '../domain/desk/state.js';
import type { SlottedText } from '../domain/flow/interpolate.js';
import { logAgentStatus } from '../db/accounts.js';
import { recordQueueEntry } from '../db/service-times.js';
import { assignmentHints } from './assignment-hints.js';
import type { ActivityDeps } from './deps.js';
import { deskClient } from './desk-client.js';

export interface EnqueueInput {
  deskId: string;
  conversationId: string;
  teamId: string | null;
  vip: boolean;
  visitorId: string;
  visitorName: string;
  enqueuedAt: number;
  queueNotice?: SlottedText;
  /** Issue 19: no agent of the team signed in → handoffFailed (NOBODY_SIGNED_IN) instead of a place in the queue. */
  failIfNobodyOnline?: boolean;
}

/**
 * Runs an update on the desk from an activity. Its id is the same on every attempt of this activity (and
 * different for every other), so a retry joins the update already in flight instead of adding one: the
 * server admits only so many per workflow (`history.maxInFlightUpdates`). Worker shutdown cancels it, so
 * the worker does not wait for a desk task that only it could run.
 */
function deskUpdate<T>(temporal: Client, kind: string, run: (updateId: string) => Promise<T>): Promise<T> {
  const { info, cancellationSignal } = Context.current();
  const updateId = `${kind}:${info.workflowExecution?.runId ?? ''}:${info.activityId}`;
  return temporal.connection.withAbortSignal(cancellationSignal, () => run(updateId));
}

export function routingActivities({ db, temporal, taskQueue, loadDispatcherSettings, outbound, dispatcherWorkflow }: ActivityDeps) {
  return {
    /** Puts the conversation in the desk's queue (resolving familiarity / webhook hints first), starting the dispatcher if needed. */
    async enqueueConversation(req: EnqueueInput): Promise<void> {
      const { deskId, ...entry } = req;
      const settings = await loadDispatcherSettings();
      const hints = await assignmentHints(db, settings, req, outbound);
      if (hints.teamId !== null) {
        const members = await db.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, hints.teamId)).limit(1);
        if (members.length === 0) {
          // Nobody can ever take it: the flow's "failed to connect" branch, not an endless wait.
          await temporal.workflow.getHandle(conversationWorkflowId(req.conversationId)).signal(handoffFailedSignal, { reason: `Team ${hints.teamId} has no agents` });
          return;
        }
      }
      // Issue 19: when it asked for an agent, also for one assigned at once (first-response times, db/service-times.ts).
      await recordQueueEntry(db, {
        conversationId: req.conversationId, deskId, teamId: hints.teamId, vip: req.vip, visitorName: req.visitorName, enqueuedAt: req.enqueuedAt,
      });
      // A retry of this activity after the desk took the entry is ignored by the desk (it knows the conversation).
      const desk = deskClient({ temporal, deskId, taskQueue, dispatcherWorkflow, loadSettings: async () => settings });
      await deskUpdate(temporal, 'enqueue', (updateId) => desk.updateWithStart(enqueueUpdate, { ...entry, ...hints }, { updateId }));
    },

    /** Frees the conversation's place at the desk (its queue entry, offer or agent slot); no desk running holds nothing. */
    async releaseAtDesk(req: { deskId: string; conversationId: string }): Promise<void> {
      try {
        await deskUpdate(temporal, 'release', (updateId) => deskClient({ temporal, deskId: req.deskId })
          .updateIfRunning(releaseUpdate, { conversationId: req.conversationId }, { updateId }));
      } catch (err) {
        if (!isWorkflowGone(err)) throw err;
      }
    },

    async logAgentStatus(entry: { agentId: string; status: string; reason: string | null }): Promise<void> {
      await logAgentStatus(db, entry);
    },

    /** The transcript's record of a transfer: written when requested, updated when resolved. */
    async recordTransfer(t: Transfer & { outcome: string }): Promise<void> {
      const resolvedAt = t.outcome === 'pending' ? null : new Date();
      const insert = db.insert(transfers).values({
        id: t.transferId, conversationId: t.conversationId, fromAgentId: t.fromAgentId, toAgentId: t.toAgentId || null,
        toTeamId: t.toTeamId, outcome: t.outcome, resolvedAt,
      });
      // The request and its outcome are recorded by separate local activities that can finish in either
      // order: a late "pending" must not undo the outcome, and an outcome is final.
      if (t.outcome === 'pending') await insert.onConflictDoNothing();
      else await insert.onConflictDoUpdate({ target: transfers.id, set: { outcome: t.outcome, resolvedAt, toAgentId: t.toAgentId || null }, setWhere: eq(transfers.outcome, 'pending') });
    },
  };
}
