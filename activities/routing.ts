import { eq } from 'drizzle-orm';
import { agentStatusLog, teamMembers, transfers } from '../db/schema.js';
import { conversationWorkflowId } from '../shared/ids.js';
import { handoffFailedSignal } from '../workflows/conversation/messages.js';
import { dispatcherWorkflowId, enqueueSignal } from '../workflows/dispatcher/messages.js';
import type { Transfer } from '../workflows/dispatcher/state.js';
import type { SlottedText } from '../workflows/flow/interpolate.js';
import { assignmentHints } from './assignment-hints.js';
import type { ActivityDeps } from './deps.js';


export interface EnqueueInput {
  deskId: string;
  conversationId: string;
  teamId: string | null;
  vip: boolean;
  visitorId: string;
  visitorName: string;
  enqueuedAt: number;
  queueNotice?: SlottedText;
}

export function routingActivities({ db, temporal, taskQueue, loadDispatcherSettings }: ActivityDeps) {
  return {
    /** Puts the conversation in the desk's queue (resolving familiarity / webhook hints first), starting the dispatcher if needed. */
    async enqueueConversation(req: EnqueueInput): Promise<void> {
      const { deskId, ...entry } = req;
      const settings = await loadDispatcherSettings();
      const hints = await assignmentHints(db, settings, req);
      if (hints.teamId !== null) {
        const members = await db.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, hints.teamId)).limit(1);
        if (members.length === 0) {
          // Nobody can ever take it: the flow's "failed to connect" branch, not an endless wait.
          await temporal.workflow.getHandle(conversationWorkflowId(req.conversationId)).signal(handoffFailedSignal, { reason: `Team ${hints.teamId} has no agents` });
          return;
        }
      }
      await temporal.workflow.signalWithStart('dispatcherWorkflow', {
        workflowId: dispatcherWorkflowId(deskId),
        taskQueue,
        args: [{ deskId, settings }],
        signal: enqueueSignal,
        signalArgs: [{ ...entry, ...hints }],
      });
    },

    async logAgentStatus(entry: { agentId: string; status: string; reason: string | null }): Promise<void> {
      await db.insert(agentStatusLog).values({ userId: entry.agentId, status: entry.status, reason: entry.reason });
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
