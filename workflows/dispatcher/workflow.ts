import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, getExternalWorkflowHandle, proxyLocalActivities,
  setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { ParleyActivities } from '../../activities/index.js';
import { conversationWorkflowId } from '../../shared/conversation.js';
import * as conv from '../conversation/messages.js';
import { dispatch, type DispatchAction } from './assignment.js';
import * as m from './messages.js';
import { emptyDispatcher, type AgentView, type DispatcherSettings, type DispatcherSnapshot, type Offer } from './state.js';

const local = proxyLocalActivities<ParleyActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
});

export interface DispatcherInput {
  deskId: string;
  settings: DispatcherSettings;
  carried?: DispatcherSnapshot;
  historyLimit?: number;
}

/**
 * One per desk: owns the queues, every agent's presence and load, and pending offers. All
 * assignment decisions happen here, one workflow task at a time, so an agent is never over its
 * limit and a conversation is never given to two agents, whatever the API and worker processes do.
 */
export async function dispatcherWorkflow(input: DispatcherInput): Promise<void> {
  const s = input.carried ?? emptyDispatcher(input.deskId, input.settings);
  let dirty = !!input.carried;
  let inFlight = 0;
  const outbox: DispatchAction[] = [];
  const revoked: Array<{ agentId: string; conversationId: string; reason: 'expired' | 'taken' | 'closed' }> = [];
  const changedAgents = new Set<string>();

  const touch = (agentId?: string) => { dirty = true; if (agentId) changedAgents.add(agentId); };

  function requeue(offer: Offer, reason: 'expired' | 'closed' | 'taken', requeueEntry: boolean) {
    s.offers = s.offers.filter((o) => o !== offer);
    const agent = s.agents[offer.agentId];
    if (agent) agent.offeredIds = agent.offeredIds.filter((id) => id !== offer.conversationId);
    revoked.push({ agentId: offer.agentId, conversationId: offer.conversationId, reason });
    if (requeueEntry) {
      offer.entry.declinedBy.push(offer.agentId);
      s.queue.push(offer.entry);
      signalConversation(offer.conversationId, conv.requeuedSignal, { reason });
    }
    touch(offer.agentId);
  }

  function signalConversation<A extends unknown[]>(conversationId: string, def: import('@temporalio/workflow').SignalDefinition<A>, ...args: A) {
    inFlight++;
    getExternalWorkflowHandle(conversationWorkflowId(conversationId)).signal(def, ...args)
      .catch(() => { /* the conversation already finished: nothing to tell */ })
      .finally(() => { inFlight--; });
  }

  setHandler(m.dispatcherStateQuery, () => s);
  setHandler(m.agentStateQuery, (agentId) => s.agents[agentId] ?? null);

  setHandler(m.enqueueSignal, (req) => {
    const known = s.queue.some((e) => e.conversationId === req.conversationId)
      || s.offers.some((o) => o.conversationId === req.conversationId)
      || Object.values(s.agents).some((a) => a.conversationIds.includes(req.conversationId));
    if (known) return; // activity retries deliver the same request more than once
    s.queue.push({ ...req, seq: ++s.seq, declinedBy: [] });
    touch();
  });

  setHandler(m.releaseSignal, ({ conversationId }) => {
    s.queue = s.queue.filter((e) => e.conversationId !== conversationId);
    delete s.toldPositions[conversationId];
    const offer = s.offers.find((o) => o.conversationId === conversationId);
    if (offer) requeue(offer, 'closed', false);
    for (const agent of Object.values(s.agents)) {
      if (agent.conversationIds.includes(conversationId)) {
        agent.conversationIds = agent.conversationIds.filter((id) => id !== conversationId);
        touch(agent.agentId);
      }
    }
    touch();
  });

  setHandler(m.setAgentStatusUpdate, (req) => {
    const prev = s.agents[req.agentId];
    const agent: AgentView = prev ?? {
      agentId: req.agentId, name: req.name, status: 'offline', reason: null, maxConversations: req.maxConversations,
      teamIds: req.teamIds, conversationIds: [], offeredIds: [], lastAssignedAt: 0, disconnectedAt: null,
    };
    Object.assign(agent, { name: req.name, maxConversations: req.maxConversations, teamIds: req.teamIds, status: req.status, reason: req.reason ?? null, disconnectedAt: null });
    s.agents[req.agentId] = agent;
    if (req.status !== 'online') {
      for (const offer of s.offers.filter((o) => o.agentId === req.agentId)) requeue(offer, 'expired', true);
    }
    touch(req.agentId);
    return agent;
  });

  setHandler(m.updateAgentProfileSignal, (req) => {
    const agent = s.agents[req.agentId];
    if (!agent) return;
    Object.assign(agent, { name: req.name, maxConversations: req.maxConversations, teamIds: req.teamIds });
    touch(req.agentId);
  });

  setHandler(m.agentDisconnectedSignal, ({ agentId }) => {
    const agent = s.agents[agentId];
    if (agent && agent.status !== 'offline') agent.disconnectedAt = Date.now();
    touch();
  });

  const findOffer = (agentId: string, conversationId: string) =>
    s.offers.find((o) => o.agentId === agentId && o.conversationId === conversationId);

  setHandler(m.acceptOfferUpdate, ({ agentId, conversationId }) => {
    const offer = findOffer(agentId, conversationId)!;
    s.offers = s.offers.filter((o) => o !== offer);
    const agent = s.agents[agentId];
    agent.offeredIds = agent.offeredIds.filter((id) => id !== conversationId);
    agent.conversationIds.push(conversationId);
    signalConversation(conversationId, conv.assignedSignal, { agentId, agentName: agent.name, teamId: offer.entry.teamId });
    touch(agentId);
    return { conversationId };
  }, {
    validator: ({ agentId, conversationId }) => {
      const offer = findOffer(agentId, conversationId);
      if (!offer) throw ApplicationFailure.nonRetryable('This conversation is not offered to you (it may have expired or been taken)', 'NoSuchOffer');
      if (Date.now() > offer.expiresAt) throw ApplicationFailure.nonRetryable('The offer has expired', 'OfferExpired');
    },
  });

  setHandler(m.rejectOfferUpdate, ({ agentId, conversationId }) => {
    requeue(findOffer(agentId, conversationId)!, 'expired', true);
    return { conversationId };
  }, {
    validator: ({ agentId, conversationId }) => {
      if (!findOffer(agentId, conversationId)) throw ApplicationFailure.nonRetryable('This conversation is not offered to you', 'NoSuchOffer');
    },
  });

  function fireTimers(now: number) {
    for (const offer of s.offers.filter((o) => o.expiresAt <= now)) {
      requeue(offer, 'expired', true);
      const agent = s.agents[offer.agentId];
      if (agent && s.settings.awayOnMissedOffer && agent.status === 'online') {
        agent.status = 'away';
        agent.reason = 'Missed an offered conversation';
      }
    }
    for (const agent of Object.values(s.agents)) {
      if (agent.disconnectedAt !== null && agent.disconnectedAt + s.settings.disconnectGraceSec * 1000 <= now) {
        agent.disconnectedAt = null;
        agent.status = 'offline';
        agent.reason = 'Connection lost';
        for (const offer of s.offers.filter((o) => o.agentId === agent.agentId)) requeue(offer, 'expired', true);
        touch(agent.agentId);
      }
    }
  }

  function nextDeadline(): number | null {
    const times = [
      ...s.offers.map((o) => o.expiresAt),
      ...Object.values(s.agents).flatMap((a) => (a.disconnectedAt === null ? [] : [a.disconnectedAt + s.settings.disconnectGraceSec * 1000])),
    ];
    return times.length ? Math.min(...times) : null;
  }

  async function flush() {
    const actions = dispatch(s, Date.now());
    outbox.push(...actions);
    const notifications: Parameters<ParleyActivities['notifyAgents']>[0] = [];
    for (const a of outbox.splice(0)) {
      if (a.type === 'position') {
        signalConversation(a.conversationId, conv.queueUpdateSignal, { position: a.position, waitNo: a.waitNo });
      } else if (a.type === 'assigned') {
        signalConversation(a.entry.conversationId, conv.assignedSignal, { agentId: a.agent.agentId, agentName: a.agent.name, teamId: a.entry.teamId });
        changedAgents.add(a.agent.agentId);
      } else {
        signalConversation(a.entry.conversationId, conv.offeredSignal, { agentId: a.agent.agentId, agentName: a.agent.name });
        notifications.push({ agentId: a.agent.agentId, event: 'offer', payload: { conversationId: a.entry.conversationId, visitorName: a.entry.visitorName, teamId: a.entry.teamId, expiresAt: new Date(a.expiresAt).toISOString() } });
        changedAgents.add(a.agent.agentId);
      }
    }
    for (const r of revoked.splice(0)) {
      notifications.push({ agentId: r.agentId, event: 'offer:revoked', payload: { conversationId: r.conversationId, reason: r.reason } });
    }
    for (const id of changedAgents) {
      const a = s.agents[id];
      if (a) notifications.push({ agentId: id, event: 'agent:state', payload: { status: a.status, load: a.conversationIds.length, maxConversations: a.maxConversations, conversationIds: [...a.conversationIds] } });
    }
    changedAgents.clear();
    if (notifications.length) {
      inFlight++;
      local.notifyAgents(notifications).finally(() => { inFlight--; });
    }
  }

  for (;;) {
    const deadline = nextDeadline();
    if (!dirty) {
      if (deadline === null) await condition(() => dirty);
      else await condition(() => dirty, Math.max(1, deadline - Date.now()));
    }
    dirty = false;
    fireTimers(Date.now());
    await flush();
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? 20_000)) {
      await condition(() => inFlight === 0 && allHandlersFinished());
      if (!dirty) await continueAsNew<typeof dispatcherWorkflow>({ ...input, carried: s });
    }
  }
}
