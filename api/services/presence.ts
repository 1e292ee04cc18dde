import { eq } from 'drizzle-orm';
import type { AgentStatus } from '../../shared/agents.js';
import type { AgentStateEvent } from '../../shared/events.js';
import { agentStatusLog, conversations, teamMembers, users } from '../../db/schema.js';
import {
  acceptOfferUpdate, agentDisconnectedSignal, agentStateQuery, rejectOfferUpdate, setAgentStatusUpdate, type AgentProfileUpdate,
} from '../../workflows/dispatcher/messages.js';
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

  async function profile(agentId: string): Promise<AgentProfileUpdate> {
    const [user] = await db.select().from(users).where(eq(users.id, agentId));
    if (!user) throw notFound('Agent');
    const teams = await db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, agentId));
    return { agentId, name: user.nickname, maxConversations: user.maxConversations, teamIds: teams.map((t) => t.teamId) };
  }

  return {
    async setStatus(agentId: string, status: AgentStatus, reason?: string): Promise<AgentStateEvent> {
      const handle = await dispatcher();
      const view = await handle.executeUpdate(setAgentStatusUpdate, { args: [{ ...(await profile(agentId)), status, reason }] });
      await db.insert(agentStatusLog).values({ userId: agentId, status, reason: reason ?? null });
      return toAgentState(view);
    },

    async current(agentId: string): Promise<AgentView | null> {
      return (await dispatcher()).query(agentStateQuery, agentId);
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
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const [row] = await db.select({ agentId: conversations.agentId, status: conversations.status }).from(conversations).where(eq(conversations.id, conversationId));
        if (!row || row.agentId === agentId || row.status === 'ended' || row.status === 'rating') return;
        await new Promise((r) => setTimeout(r, 15));
      }
    },

    async reject(agentId: string, conversationId: string): Promise<void> {
      try {
        await (await dispatcher()).executeUpdate(rejectOfferUpdate, { args: [{ agentId, conversationId }] });
      } catch (err) {
        fromTemporalError(err);
      }
    },
  };
}
export type PresenceService = ReturnType<typeof presenceService>;
