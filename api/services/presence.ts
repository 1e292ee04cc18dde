import { eq } from 'drizzle-orm';
import type { AgentStatus } from '../../shared/agents.js';
import type { AgentStateEvent } from '../../shared/events.js';
import { agentStatusLog, conversations, teamMembers, users } from '../../db/schema.js';
import {
  acceptOfferUpdate, agentDisconnectedSignal, agentStateQuery, answerTransferUpdate, claimUpdate, dispatcherStateQuery,
  rejectOfferUpdate, requestTransferUpdate, setAgentStatusUpdate, settingsChangedSignal, updateAgentProfileSignal,
  type AgentProfileUpdate, type TransferAnswer, type TransferRequest,
} from '../../workflows/dispatcher/messages.js';
import type { DispatcherSettings, DispatcherSnapshot } from '../../workflows/dispatcher/state.js';
import type { AgentView } from '../../workflows/dispatcher/state.js';
import type { ApiContext } from '../context.js';
import { notFound } from '../http/errors.js';
import { ensureDispatcher } from './dispatcher.js';
import { fromTemporalError } from './temporal-errors.js';

export const toAgentState = (a: AgentView): AgentStateEvent => ({
  status: a.status, load: a.conversationIds.length, maxConversations: a.maxConversations, conversationIds: [...a.conversationIds],
});

/** Agent status and offers: the API side of the desk's dispatcher workflow. */
export function presenceService(ctx: ApiContext) {
  const { db } = ctx.database;
  const dispatcher = () => ensureDispatcher(ctx);
  /** Work still talking to Temporal (e.g. socket disconnects), so the API can let it finish before closing its connection. */
  const inflight = new Set<Promise<unknown>>();

  async function profile(agentId: string): Promise<AgentProfileUpdate> {
    const [user] = await db.select().from(users).where(eq(users.id, agentId));
    if (!user) throw notFound('Agent');
    const teams = await db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, agentId));
    return { agentId, name: user.nickname, maxConversations: user.maxConversations, teamIds: teams.map((t) => t.teamId) };
  }

  let cachedSnapshot: { at: number; value: Promise<DispatcherSnapshot> } | null = null;

  /** Waits (bounded) until the conversation's projection names the agent, so the agent can act on it at once. */
  async function waitForHolder(conversationId: string, agentId: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const [row] = await db.select({ agentId: conversations.agentId, status: conversations.status }).from(conversations).where(eq(conversations.id, conversationId));
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
      const handle = await dispatcher();
      const view = await handle.executeUpdate(setAgentStatusUpdate, { args: [{ ...(await profile(agentId)), status, reason }] });
      await db.insert(agentStatusLog).values({ userId: agentId, status, reason: reason ?? null });
      return toAgentState(view);
    },

    async maxConversations(agentId: string): Promise<number> {
      return (await profile(agentId)).maxConversations;
    },

    async current(agentId: string): Promise<AgentView | null> {
      return (await dispatcher()).query(agentStateQuery, agentId);
    },

    /** Re-reads the agent's nickname, limit and teams into the dispatcher (a raised limit pulls waiting conversations). */
    async profileChanged(agentId: string): Promise<void> {
      await (await dispatcher()).signal(updateAgentProfileSignal, await profile(agentId));
    },

    async settingsChanged(settings: DispatcherSettings): Promise<void> {
      await (await dispatcher()).signal(settingsChangedSignal, settings);
    },

    /** The dispatcher's state; concurrent callers within 250 ms share one query so list views can't flood it. */
    snapshot(): Promise<DispatcherSnapshot> {
      if (!cachedSnapshot || Date.now() - cachedSnapshot.at > 250) {
        const value = dispatcher().then((h) => h.query(dispatcherStateQuery));
        cachedSnapshot = { at: Date.now(), value };
        value.catch(() => { cachedSnapshot = null; });
      }
      return cachedSnapshot.value;
    },

    async claim(agentId: string, conversationId: string): Promise<void> {
      try {
        await (await dispatcher()).executeUpdate(claimUpdate, { args: [{ agentId, conversationId }] });
      } catch (err) {
        fromTemporalError(err);
      }
      await waitForHolder(conversationId, agentId);
    },

    async requestTransfer(req: TransferRequest): Promise<TransferAnswer> {
      try {
        const answer = await (await dispatcher()).executeUpdate(requestTransferUpdate, { args: [req] });
        if (answer.outcome === 'moved' && answer.toAgentId) await waitForHolder(req.conversationId, answer.toAgentId);
        return answer;
      } catch (err) {
        fromTemporalError(err);
      }
    },

    async answerTransfer(agentId: string, transferId: string, accept: boolean): Promise<{ outcome: 'accepted' | 'rejected' }> {
      try {
        const result = await (await dispatcher()).executeUpdate(answerTransferUpdate, { args: [{ transferId, agentId, accept }] });
        return result;
      } catch (err) {
        fromTemporalError(err);
      }
    },

    /** The agent is connected again: cancel a pending disconnect, keeping its status. */
    async resume(agentId: string): Promise<void> {
      const known = await service.current(agentId);
      if (known && known.status !== 'offline' && known.disconnectedAt !== null) await service.setStatus(agentId, known.status, known.reason ?? undefined);
    },

    /** The agent's socket dropped; the dispatcher puts it offline after the grace period unless it comes back. */
    async disconnected(agentId: string): Promise<void> {
      await (await dispatcher()).signal(agentDisconnectedSignal, { agentId });
    },

    /** Resolves once the conversation is recorded as the agent's, so the agent can write at once. */
    async accept(agentId: string, conversationId: string): Promise<void> {
      try {
        await (await dispatcher()).executeUpdate(acceptOfferUpdate, { args: [{ agentId, conversationId }] });
      } catch (err) {
        fromTemporalError(err);
      }
      await waitForHolder(conversationId, agentId);
    },

    async reject(agentId: string, conversationId: string): Promise<void> {
      try {
        await (await dispatcher()).executeUpdate(rejectOfferUpdate, { args: [{ agentId, conversationId }] });
      } catch (err) {
        fromTemporalError(err);
      }
    },
  };
  return service;
}
export type PresenceService = ReturnType<typeof presenceService>;
