import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { conversationQueries, type ConversationQueries } from '../db/queries.js';
import { conversations, flowVersions } from '../db/schema.js';
import { workflowWriteQueries, type WorkflowWriteQueries } from '../db/workflow-writes.js';
import { FlowSettingsSchema } from '../domain/flow/schema.js';
import { conversationWorkflowId } from '../domain/ids.js';
import type { ClosedBy } from '../domain/messages.js';
import { releaseUpdate } from '../domain/contracts/dispatcher-workflow.js';
import { interpolate } from '../domain/flow/interpolate.js';
import { localize } from '../domain/flow/localized-text.js';
import { deskClient } from './desk-client.js';
import { storeWorkflowMessages } from './messages.js';
import { writeProjection } from './projection.js';
import type { SocketEmitter } from './socket-emitter.js';

/**
 * Conversations whose workflow stopped (terminated, failed, timed out, or never started) while
 * PostgreSQL still shows them open: nothing would ever close them, so the visitor could not start a
 * new one and the desk would keep an agent's slot (or a queue place) for them. Used by the API when an
 * action meets such a workflow, by its periodic reconciliation (api/services/reconciler.ts), and by the
 * desk's signalling activity.
 */
export interface StrandedDeps {
  db: Db;
  temporal: Client;
  emitter: SocketEmitter;
  /** How long a release at the desk may wait; default RELEASE_TIMEOUT_MS. */
  releaseTimeoutMs?: number;
}

/** Client id of the end notice written for a stranded conversation: one per conversation, so a repeat writes nothing. */
export const STRANDED_END_KEY = 'stranded:end';

/** How long a release at the desk may wait (its worker may be down too); the next pass releases what is left. */
const RELEASE_TIMEOUT_MS = 10_000;

type WorkflowState = 'running' | 'closed' | 'missing';

async function workflowState(temporal: Client, conversationId: string): Promise<WorkflowState> {
  try {
    // Without a run id: the latest run, so a conversation that continued as new counts as running.
    const d = await temporal.workflow.getHandle(conversationWorkflowId(conversationId)).describe();
    return d.status.name === 'RUNNING' ? 'running' : 'closed';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'missing';
    throw err;
  }
}

/** Frees whatever the desk holds for the conversation (a slot, a queue place, an offer); idempotent. False if it could not be told now. */
export async function releaseAtDesk(temporal: Client, deskId: string, conversationId: string, timeoutMs = RELEASE_TIMEOUT_MS): Promise<boolean> {
  try {
    await temporal.connection.withAbortSignal(AbortSignal.timeout(timeoutMs), () =>
      deskClient({ temporal, deskId }).updateIfRunning(releaseUpdate, { conversationId }));
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return true; // no desk running: nothing is held
    console.warn(`[stranded] could not release ${conversationId} at desk ${deskId}:`, err instanceof Error ? err.message : err);
    return false;
  }
}

export function strandedConversations(deps: StrandedDeps) {
  const { db, temporal, emitter } = deps;
  let queries: ConversationQueries | undefined;
  let writes: WorkflowWriteQueries | undefined;

  async function closeText(flowId: string, version: number, locale: string | null, vars: Record<string, string>): Promise<string> {
    const [row] = await db.select({ definition: flowVersions.definition }).from(flowVersions)
      .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.version, version)));
    // The conversation's own flow version says how a close reads (its defaults if the version is gone).
    const settings = FlowSettingsSchema.parse((row?.definition as { settings?: unknown } | undefined)?.settings ?? {});
    return interpolate(localize(settings.closeText, locale, settings.defaultLocale), vars);
  }

  /** Ends the conversation in PostgreSQL and tells its visitor's and agent's apps, as the workflow's own close would. */
  async function endInDatabase(conversationId: string, by: ClosedBy): Promise<boolean> {
    queries ??= conversationQueries(db);
    writes ??= workflowWriteQueries(db);
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    if (!row || row.status === 'ended') return false;
    const summary = await queries.summary(conversationId);
    const now = Date.now();
    const events = await writeProjection(emitter, queries, writes, {
      conversationId,
      revision: row.revision + 1,
      status: 'ended',
      agentId: row.agentId,
      teamId: row.teamId,
      queuePosition: null,
      // Closed already (its rating window was open): who closed it stays on record.
      closedBy: row.closedBy as ClosedBy | null ?? by,
      rating: row.rating,
      endedAt: row.endedAt?.getTime() ?? now,
      ratingOpenUntil: null,
      agentName: summary?.agentName ?? null,
    });
    // A conversation in its rating window has had its end notice; any other hears it now.
    const notices = row.status === 'rating' ? [] : [{
      id: randomUUID(), conversationId, clientId: STRANDED_END_KEY, sender: 'system' as const,
      body: {
        kind: 'end' as const, closedBy: by,
        text: await closeText(row.flowId, row.flowVersion, row.locale, { visitorName: summary?.visitorName ?? '', agentName: summary?.agentName ?? '', channel: row.channel }),
      },
    }];
    await storeWorkflowMessages(writes, emitter, notices, events);
    return true;
  }

  return {
    /**
     * Ends the conversation if its workflow is no longer running: frees it at the desk first (should the
     * database write fail, the next reconciliation still finds it open), then ends it in PostgreSQL and
     * tells the apps. `missingGraceMs`: a conversation whose workflow does not exist yet is left alone
     * while younger than this (its start may still be on the way). True if it was ended now.
     */
    async endIfWorkflowGone(req: { deskId: string; conversationId: string; by?: ClosedBy; missingGraceMs?: number }): Promise<boolean> {
      const state = await workflowState(temporal, req.conversationId);
      if (state === 'running') return false;
      const [row] = await db.select({ createdAt: conversations.createdAt, status: conversations.status }).from(conversations)
        .where(eq(conversations.id, req.conversationId));
      if (!row || row.status === 'ended') return false;
      if (state === 'missing' && row.createdAt.getTime() > Date.now() - (req.missingGraceMs ?? 0)) return false;
      await releaseAtDesk(temporal, req.deskId, req.conversationId, deps.releaseTimeoutMs);
      const ended = await endInDatabase(req.conversationId, req.by ?? 'system');
      if (ended) console.warn(`[stranded] conversation ${req.conversationId} ended: its workflow is ${state === 'missing' ? 'missing' : 'no longer running'}`);
      return ended;
    },

    /**
     * One reconciliation pass for a desk: every conversation PostgreSQL shows open whose workflow has
     * stopped is ended, and every conversation the desk still holds (a slot, an offer, a queue place)
     * although it closed a while ago is released.
     */
    async reconcile(req: { deskId: string; taskQueue: string; missingGraceMs: number; heldGraceMs: number }): Promise<{ ended: string[]; released: string[] }> {
      const ended: string[] = [];
      const open = await db.select({ id: conversations.id }).from(conversations).where(ne(conversations.status, 'ended'));
      if (open.length > 0) {
        // One visibility listing instead of a describe per open conversation; describe then confirms
        // each one not listed (visibility lags behind a workflow's start by a moment).
        const running = new Set<string>();
        const query = `WorkflowType = 'conversationWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${req.taskQueue.replace(/'/g, "\\'")}'`;
        for await (const wf of temporal.workflow.list({ query })) running.add(wf.workflowId);
        for (const { id } of open.filter((c) => !running.has(conversationWorkflowId(c.id)))) {
          if (await this.endIfWorkflowGone({ deskId: req.deskId, conversationId: id, missingGraceMs: req.missingGraceMs })) ended.push(id);
        }
      }
      const { rows } = await db.execute<{ id: string }>(sql`
        select c.id from conversations c
        join (
          select jsonb_array_elements_text(conversation_ids || offered_ids) as id from agent_presence where desk_id = ${req.deskId}
          union select conversation_id::text from desk_queue where desk_id = ${req.deskId} and queued
        ) held on held.id = c.id::text
        where c.status in ('rating', 'ended') and c.updated_at < now() - make_interval(secs => ${req.heldGraceMs / 1000})`);
      const released: string[] = [];
      for (const { id } of rows) if (await releaseAtDesk(temporal, req.deskId, id, deps.releaseTimeoutMs)) released.push(id);
      return { ended, released };
    },
  };
}
export type StrandedConversations = ReturnType<typeof strandedConversations>;
