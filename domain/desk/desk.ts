import type { AgentStatus } from '../agents.js';
import type { DispatchAction } from './actions.js';
import { NOBODY_SIGNED_IN } from '../conversation/offline.js';
import { dispatch, load, mostIdleInTeam } from './assignment.js';
import type { AgentProfileUpdate, AgentReconnect, EnqueueRequest, TransferAnswer, TransferRequest } from './requests.js';
import type { AgentView, DispatcherSettings, DispatcherSnapshot, Offer, Transfer } from './state.js';

/** A rule violation the caller is told about; nothing was changed. */
export class DeskRuleError extends Error {}

/**
 * The desk's routing state machine: queues, agents' presence and load, offers and transfers.
 * Pure (time is passed in), so it is unit-tested directly and driven by the dispatcher workflow.
 * Every method either throws DeskRuleError without changing anything, or changes state and queues
 * the actions to perform in `actions`.
 */
export class Desk {
  readonly actions: DispatchAction[] = [];
  constructor(readonly s: DispatcherSnapshot) {}

  private holderOf(conversationId: string): AgentView | undefined {
    return Object.values(this.s.agents).find((a) => a.conversationIds.includes(conversationId));
  }

  private isKnown(conversationId: string): boolean {
    return this.s.queue.some((e) => e.conversationId === conversationId)
      || this.s.offers.some((o) => o.conversationId === conversationId)
      || this.holderOf(conversationId) !== undefined;
  }

  private setStatus(agent: AgentView, status: AgentStatus, reason: string | null) {
    if (agent.status === status && agent.reason === reason) return;
    agent.status = status;
    agent.reason = reason;
    this.actions.push({ type: 'statusChanged', agentId: agent.agentId, status, reason });
  }

  private dropOffer(offer: Offer, reason: 'expired' | 'closed' | 'taken', requeue: boolean) {
    this.s.offers = this.s.offers.filter((o) => o !== offer);
    const agent = this.s.agents[offer.agentId];
    if (agent) agent.offeredIds = agent.offeredIds.filter((id) => id !== offer.conversationId);
    this.actions.push({ type: 'revoked', agentId: offer.agentId, conversationId: offer.conversationId, reason });
    if (requeue) {
      offer.entry.declinedBy.push(offer.agentId);
      this.s.queue.push(offer.entry);
      this.actions.push({ type: 'requeued', conversationId: offer.conversationId, reason, teamId: offer.entry.teamId });
    }
  }

  private assign(agent: AgentView, conversationId: string, entry: Offer['entry']) {
    agent.conversationIds.push(conversationId);
    this.s.held[conversationId] = entry;
  }

  enqueue(req: EnqueueRequest) {
    if (this.isKnown(req.conversationId)) return; // activity retries deliver the same request more than once
    if (this.s.settings.handoffFailsWhenNobodyOnline && !Object.values(this.s.agents).some((a) => a.status !== 'offline' && (req.teamId === null || a.teamIds.includes(req.teamId)))) {
      this.actions.push({ type: 'handoffFailed', conversationId: req.conversationId, reason: 'No agent is signed in' });
      return;
    }
    if (req.failIfNobodyOnline && !this.someoneSignedIn(req.teamId)) {
      // Issue 19: the conversation offers to leave a message (or fails, by its flow) instead of waiting for hours.
      this.actions.push({ type: 'handoffFailed', conversationId: req.conversationId, reason: NOBODY_SIGNED_IN });
      return;
    }
    this.s.queue.push({ ...req, seq: ++this.s.seq, declinedBy: [] });
  }

  /** Whether an agent of the team (any team for null) is signed in (online, busy or away). */
  private someoneSignedIn(teamId: string | null): boolean {
    return Object.values(this.s.agents).some((a) => a.status !== 'offline' && (teamId === null || a.teamIds.includes(teamId)));
  }

  release(conversationId: string) {
    this.s.queue = this.s.queue.filter((e) => e.conversationId !== conversationId);
    delete this.s.toldPositions[conversationId];
    delete this.s.held[conversationId];
    const offer = this.s.offers.find((o) => o.conversationId === conversationId);
    if (offer) this.dropOffer(offer, 'closed', false);
    for (const t of this.s.transfers.filter((x) => x.conversationId === conversationId)) this.resolveTransfer(t, 'cancelled');
    const holder = this.holderOf(conversationId);
    if (holder) holder.conversationIds = holder.conversationIds.filter((id) => id !== conversationId);
  }

  checkCloseHeld(agentId: string, conversationId: string) {
    if (!this.s.agents[agentId]?.conversationIds.includes(conversationId)) throw new DeskRuleError('This conversation is not held by this agent');
  }

  /**
   * The serving agent closes: its slot frees in this turn (the next waiting conversation need not wait
   * for the conversation's own close), and the conversation is told to close.
   */
  closeHeld(agentId: string, conversationId: string) {
    this.checkCloseHeld(agentId, conversationId);
    this.release(conversationId);
    this.actions.push({ type: 'closeRequested', conversationId, agentId });
  }

  setAgentStatus(req: AgentProfileUpdate & { status: AgentStatus; reason?: string }): AgentView {
    const agent: AgentView = this.s.agents[req.agentId] ?? {
      agentId: req.agentId, name: req.name, status: 'offline', reason: null, maxConversations: req.maxConversations,
      teamIds: req.teamIds, conversationIds: [], offeredIds: [], lastAssignedAt: 0, disconnectedAt: null,
    };
    Object.assign(agent, { name: req.name, maxConversations: req.maxConversations, teamIds: req.teamIds, disconnectedAt: null });
    this.s.agents[req.agentId] = agent;
    agent.status = req.status;
    agent.reason = req.reason ?? null;
    if (req.status !== 'online') for (const o of this.s.offers.filter((x) => x.agentId === req.agentId)) this.dropOffer(o, 'expired', true);
    if (req.status === 'offline') for (const t of this.s.transfers.filter((x) => x.toAgentId === req.agentId)) this.resolveTransfer(t, 'expired');
    return agent;
  }

  updateProfile(req: AgentProfileUpdate) {
    const agent = this.s.agents[req.agentId];
    if (agent) Object.assign(agent, { name: req.name, maxConversations: req.maxConversations, teamIds: req.teamIds });
  }

  disconnected(agentId: string, now: number) {
    const agent = this.s.agents[agentId];
    if (agent && agent.status !== 'offline') agent.disconnectedAt = now;
  }

  connected(agentId: string): AgentReconnect | null {
    const agent = this.s.agents[agentId];
    if (!agent) return null;
    agent.disconnectedAt = null;
    const iso = (t: number) => new Date(t).toISOString();
    return {
      ...agent,
      pendingOffers: this.s.offers.filter((o) => o.agentId === agentId)
        .map((o) => ({ conversationId: o.conversationId, visitorName: o.entry.visitorName, teamId: o.entry.teamId, expiresAt: iso(o.expiresAt) })),
      pendingTransfers: this.s.transfers.filter((t) => t.toAgentId === agentId)
        .map((t) => ({ transferId: t.transferId, conversationId: t.conversationId, fromAgentName: this.s.agents[t.fromAgentId]?.name ?? '', expiresAt: iso(t.expiresAt) })),
    };
  }

  private findOffer(agentId: string, conversationId: string): Offer {
    const offer = this.s.offers.find((o) => o.agentId === agentId && o.conversationId === conversationId);
    if (!offer) throw new DeskRuleError('This conversation is not offered to you (it may have expired or been taken)');
    return offer;
  }

  checkAccept(agentId: string, conversationId: string, now: number) {
    if (this.findOffer(agentId, conversationId).expiresAt < now) throw new DeskRuleError('The offer has expired');
  }

  accept(agentId: string, conversationId: string, now: number) {
    this.checkAccept(agentId, conversationId, now);
    const offer = this.findOffer(agentId, conversationId);
    this.s.offers = this.s.offers.filter((o) => o !== offer);
    const agent = this.s.agents[agentId];
    agent.offeredIds = agent.offeredIds.filter((id) => id !== conversationId);
    this.assign(agent, conversationId, offer.entry);
    this.actions.push({ type: 'assigned', entry: offer.entry, agent });
  }

  reject(agentId: string, conversationId: string) {
    this.dropOffer(this.findOffer(agentId, conversationId), 'expired', true);
  }

  checkClaim(agentId: string, conversationId: string) {
    const entry = this.s.queue.find((e) => e.conversationId === conversationId);
    if (!entry) throw new DeskRuleError('This conversation is not waiting in the queue');
    const agent = this.s.agents[agentId];
    if (!agent || agent.status === 'offline') throw new DeskRuleError('The agent is offline');
    if (load(agent) >= agent.maxConversations) throw new DeskRuleError(`${agent.name} is at the maximum number of conversations`);
  }

  /** Hand-picked assignment from the queue (an agent joining, or an admin assigning). */
  claim(agentId: string, conversationId: string, now: number) {
    this.checkClaim(agentId, conversationId);
    const entry = this.s.queue.find((e) => e.conversationId === conversationId)!;
    this.s.queue = this.s.queue.filter((e) => e !== entry);
    delete this.s.toldPositions[conversationId];
    const agent = this.s.agents[agentId];
    agent.lastAssignedAt = now;
    this.assign(agent, conversationId, entry);
    this.actions.push({ type: 'assigned', entry, agent });
  }

  checkTransfer(req: TransferRequest) {
    const from = this.s.agents[req.fromAgentId];
    if (!from || !from.conversationIds.includes(req.conversationId)) throw new DeskRuleError('You can only transfer a conversation you are serving');
    if (this.s.transfers.some((t) => t.conversationId === req.conversationId)) throw new DeskRuleError('A transfer of this conversation is already waiting for an answer');
    if (req.toAgentId) {
      if (req.toAgentId === req.fromAgentId) throw new DeskRuleError('You are already serving this conversation');
      const to = this.s.agents[req.toAgentId];
      if (!to || to.status === 'offline') throw new DeskRuleError('That agent is offline');
      if (load(to) >= to.maxConversations) throw new DeskRuleError(`${to.name} is at the maximum number of conversations`);
    }
  }

  requestTransfer(req: TransferRequest, now: number): TransferAnswer {
    this.checkTransfer(req);
    const from = this.s.agents[req.fromAgentId];
    const target = req.toAgentId ? this.s.agents[req.toAgentId] : mostIdleInTeam(this.s, req.toTeamId!, req.fromAgentId);
    const teamId = req.toTeamId ?? null;
    if (!target) {
      // Nobody in the team can take it now: it waits in that team's queue, at the front of its arrival time.
      const entry = { ...this.s.held[req.conversationId], teamId, enqueuedAt: now, declinedBy: [], preferredAgentIds: [], strategy: req.toTeamStrategy ?? null,
          seq: ++this.s.seq };
      from.conversationIds = from.conversationIds.filter((id) => id !== req.conversationId);
      delete this.s.held[req.conversationId];
      this.s.queue.push(entry);
      const transfer: Transfer = { transferId: req.transferId, conversationId: req.conversationId, fromAgentId: from.agentId, toAgentId: '', toTeamId: teamId, expiresAt: now };
      this.actions.push({ type: 'requeued', conversationId: req.conversationId, reason: 'transfer', teamId, teamName: req.toTeamName });
      this.actions.push({ type: 'transferResolved', transfer, outcome: 'queued', toAgentName: null });
      return { outcome: 'queued', toAgentId: null, expiresAt: null };
    }
    const transfer: Transfer = {
      transferId: req.transferId, conversationId: req.conversationId, fromAgentId: from.agentId, toAgentId: target.agentId,
      toTeamId: teamId, expiresAt: now + this.s.settings.transferTimeoutSec * 1000,
    };
    if (!this.s.settings.transferConfirmation) {
      this.move(transfer, 'moved');
      return { outcome: 'moved', toAgentId: target.agentId, expiresAt: null };
    }
    target.offeredIds.push(req.conversationId); // reserve the slot while the target decides
    this.s.transfers.push(transfer);
    this.actions.push({ type: 'transferRequested', transfer, fromAgentName: from.name });
    return { outcome: 'pending', toAgentId: target.agentId, expiresAt: new Date(transfer.expiresAt).toISOString() };
  }

  private move(t: Transfer, outcome: 'moved' | 'accepted') {
    const from = this.s.agents[t.fromAgentId];
    const to = this.s.agents[t.toAgentId];
    from.conversationIds = from.conversationIds.filter((id) => id !== t.conversationId);
    to.conversationIds.push(t.conversationId);
    this.actions.push({ type: 'transferred', conversationId: t.conversationId, agent: to, teamId: t.toTeamId, fromAgentId: from.agentId });
    this.actions.push({ type: 'transferResolved', transfer: t, outcome, toAgentName: to.name });
  }

  private resolveTransfer(t: Transfer, outcome: 'accepted' | 'rejected' | 'expired' | 'cancelled') {
    this.s.transfers = this.s.transfers.filter((x) => x !== t);
    const to = this.s.agents[t.toAgentId];
    if (to) to.offeredIds = to.offeredIds.filter((id) => id !== t.conversationId);
    if (outcome === 'accepted') this.move(t, 'accepted');
    else this.actions.push({ type: 'transferResolved', transfer: t, outcome, toAgentName: to?.name ?? null });
  }

  private findTransfer(transferId: string, agentId: string): Transfer {
    const t = this.s.transfers.find((x) => x.transferId === transferId && x.toAgentId === agentId);
    if (!t) throw new DeskRuleError('This transfer is no longer waiting for your answer');
    return t;
  }

  checkAnswer(transferId: string, agentId: string, now: number) {
    if (this.findTransfer(transferId, agentId).expiresAt < now) throw new DeskRuleError('The transfer request has expired');
  }

  answerTransfer(transferId: string, agentId: string, accept: boolean, now: number): 'accepted' | 'rejected' {
    this.checkAnswer(transferId, agentId, now);
    this.resolveTransfer(this.findTransfer(transferId, agentId), accept ? 'accepted' : 'rejected');
    return accept ? 'accepted' : 'rejected';
  }

  updateSettings(settings: DispatcherSettings) {
    this.s.settings = settings;
  }

  /** Expired offers and transfers, agents whose connection did not come back. */
  fireTimers(now: number) {
    for (const offer of this.s.offers.filter((o) => o.expiresAt <= now)) {
      this.dropOffer(offer, 'expired', true);
      const agent = this.s.agents[offer.agentId];
      if (agent && this.s.settings.awayOnMissedOffer && agent.status === 'online') this.setStatus(agent, 'away', 'Missed an offered conversation');
    }
    for (const t of this.s.transfers.filter((x) => x.expiresAt <= now)) this.resolveTransfer(t, 'expired');
    for (const agent of Object.values(this.s.agents)) {
      if (agent.disconnectedAt !== null && agent.disconnectedAt + this.s.settings.disconnectGraceSec * 1000 <= now) {
        agent.disconnectedAt = null;
        this.setStatus(agent, 'offline', 'Connection lost');
        for (const o of this.s.offers.filter((x) => x.agentId === agent.agentId)) this.dropOffer(o, 'expired', true);
        for (const t of this.s.transfers.filter((x) => x.toAgentId === agent.agentId)) this.resolveTransfer(t, 'expired');
      }
    }
  }

  nextDeadline(): number | null {
    const grace = this.s.settings.disconnectGraceSec * 1000;
    const times = [
      ...this.s.offers.map((o) => o.expiresAt),
      ...this.s.transfers.map((t) => t.expiresAt),
      ...Object.values(this.s.agents).flatMap((a) => (a.disconnectedAt === null ? [] : [a.disconnectedAt + grace])),
    ];
    return times.length ? Math.min(...times) : null;
  }

  /** Assigns what can be assigned and recomputes queue positions. */
  dispatch(now: number) {
    const actions = dispatch(this.s, now);
    for (const a of actions) if (a.type === 'assigned') this.s.held[a.entry.conversationId] = a.entry;
    this.actions.push(...actions);
  }

  takeActions(): DispatchAction[] {
    return this.actions.splice(0);
  }
}
