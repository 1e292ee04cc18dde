import { and, asc, desc, eq } from 'drizzle-orm';
import type { AgentStatus } from '../../domain/agents.js';
import type { AgentStateEvent } from '../../domain/contracts/events.js';
import { agentPresence, conversations, deskQueue } from '../../db/schema.js';
import { loadProfile, logAgentStatus } from '../../db/accounts.js';
import { acceptOfferUpdate, agentConnectedUpdate, agentDisconnectedUpdate, answerTransferUpdate, claimUpdate, rejectOfferUpdate, requestTransferUpdate, setAgentStatusUpdate, settingsChangedSignal, updateAgentProfileSignal, type AgentProfileUpdate, type AgentReconnect, type TransferAnswer, type TransferRequest } from '../../domain/contracts/dispatcher-workflow.js';
import { type DispatcherSettings, agentStateOf } from '../../domain/desk/state.js';
import type { ApiContext } from '../context.js';
import { notFound } from '../http/errors.js';
import { fromTemporalError } from './temporal-errors.js';
import { recordOfferRejected } from '../../db/reports/facts.js';

export interface AgentPresence {
  status: AgentStatus;
  reason: string | null;
  maxConversations: number;
  conversationIds: string[];
  disconnected: boolean;
}

const toPresence = (r: typeof agentPresence.$inferSelect): AgentPresence => ({
  status: r.status as AgentStatus, reason: r.reason, maxConversations: r.maxConversations, conversationIds: r.conversationIds, disconnected: r.disconnected,
});

/**
 * Agent status and offers: the API side of the desk's dispatcher workflow. Changes go to the workflow
 * as updates and signals; reads come from its projection in PostgreSQL (never queries: docs/faults.md).
 */
export function presenceService(ctx: ApiContext) {
  const { db } = ctx.database;
  /** Work still talking to Temporal (e.g. socket disconnects), so the API can let it finish before closing its connection. */
  const inflight = new Set<Promise<unknown>>();

  async function profile(agentId: string): Promise<AgentProfileUpdate> {
    const user = await loadProfile(db, agentId);
    if (!user) throw notFound('Agent');
    return { agentId, name: user.nickname, maxConversations: user.maxConversations, teamIds: user.teamIds };
  }

  /** Waits (bounded) until the conversation's projection names the agent, so the agent can act on it at once. */
  async function waitForHolder(conversationId: string, agentId: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const [row] = await db.select({ agentId: conversations.agentId, status: conversations.status }).from(conversations)
          .where(eq(conversations.id, conversationId));
      if (!row || row.agentId === agentId || row.status === 'ended' || row.status === 'rating') return;
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  const service = {
    /** Registers work that must finish before the Temporal connection is closed. */
    track<T>(p: Promise<T>): Promise<T> {
      inflight.add(p);
      p.then(() => inflight.delete(p), () => inflight.delete(p));
      return p;
    },

    /** Resolves when the tracked work is done (or after `maxMs`). */
    async idle(maxMs = 6_000): Promise<void> {
      const deadline = Date.now() + maxMs;
      while (inflight.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())).unref())]);
      }
    },

    async setStatus(agentId: string, status: AgentStatus, reason?: string): Promise<AgentStateEvent> {
      const view = await ctx.desk.update(setAgentStatusUpdate, { ...(await profile(agentId)), status, reason });
      await logAgentStatus(db, { agentId, status, reason: reason ?? null });
      return agentStateOf(view);
    },

    async maxConversations(agentId: string): Promise<number> {
      return (await profile(agentId)).maxConversations;
    },

    /** The agent's presence as last projected by the dispatcher (null: never signed in). */
    async current(agentId: string): Promise<AgentPresence | null> {
      const [row] = await db.select().from(agentPresence).where(eq(agentPresence.agentId, agentId));
      return row ? toPresence(row) : null;
    },

    /** Every agent's projected presence, by id. */
    async all(): Promise<Map<string, AgentPresence>> {
      const rows = await db.select().from(agentPresence).where(eq(agentPresence.deskId, ctx.config.deskId));
      return new Map(rows.map((r) => [r.agentId, toPresence(r)]));
    },

    /** Conversations waiting in the desk's queues, in service order (VIP first, then arrival). */
    async queue() {
      return db.select().from(deskQueue)
        .where(and(eq(deskQueue.deskId, ctx.config.deskId), eq(deskQueue.queued, true)))
        .orderBy(desc(deskQueue.vip), asc(deskQueue.enqueuedAt), asc(deskQueue.seq));
    },

    /** Re-reads the agent's nickname, limit and teams into the dispatcher (a raised limit pulls waiting conversations). */
    async profileChanged(agentId: string): Promise<void> {
      await ctx.desk.signal(updateAgentProfileSignal, await profile(agentId));
    },

    async settingsChanged(settings: DispatcherSettings): Promise<void> {
      await ctx.desk.signal(settingsChangedSignal, settings);
    },

    async claim(agentId: string, conversationId: string): Promise<void> {
      try {
        await ctx.desk.update(claimUpdate, { agentId, conversationId });
      } catch (err) {
        fromTemporalError(err);
      }
      await waitForHolder(conversationId, agentId);
    },

    async requestTransfer(req: TransferRequest): Promise<TransferAnswer> {
      try {
        const answer = await ctx.desk.update(requestTransferUpdate, req);
        if (answer.outcome === 'moved' && answer.toAgentId) await waitForHolder(req.conversationId, answer.toAgentId);
        return answer;
      } catch (err) {
        fromTemporalError(err);
      }
    },

    async answerTransfer(agentId: string, transferId: string, accept: boolean): Promise<{ outcome: 'accepted' | 'rejected' }> {
      try {
        const result = await ctx.desk.update(answerTransferUpdate, { transferId, agentId, accept });
        return result;
      } catch (err) {
        fromTemporalError(err);
      }
    },

    /** The agent's socket is (back) up: cancels a pending disconnect; returns its state, null if it never signed in. */
    async connected(agentId: string): Promise<AgentReconnect | null> {
      return ctx.desk.update(agentConnectedUpdate, { agentId });
    },

    /** The agent's socket dropped; the dispatcher puts it offline after the grace period unless it comes back. */
    async disconnected(agentId: string): Promise<void> {
      await ctx.desk.update(agentDisconnectedUpdate, { agentId });
    },

    /** Resolves once the conversation is recorded as the agent's, so the agent can write at once. */
    async accept(agentId: string, conversationId: string): Promise<void> {
      try {
        await ctx.desk.update(acceptOfferUpdate, { agentId, conversationId });
      } catch (err) {
        fromTemporalError(err);
      }
      await waitForHolder(conversationId, agentId);
    },

    async reject(agentId: string, conversationId: string): Promise<void> {
      try {
        await ctx.desk.update(rejectOfferUpdate, { agentId, conversationId });
      } catch (err) {
        fromTemporalError(err);
      }
      // Issue 21: the desk reports a rejected offer as expired; the reports count it as rejected.
      await recordOfferRejected(ctx.database.db, agentId, conversationId);
    },
  };
  return service;
}
export type PresenceService = ReturnType<typeof presenceService>;
