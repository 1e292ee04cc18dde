import { proxyActivities, sleep, uuid4, type SignalDefinition } from '@temporalio/workflow';
import type { ParleyActivities } from '../../activities/index.js';
import type { AgentNotification, QueueNotice } from '../../activities/desk.js';
import type { DeskSignal } from '../../activities/desk-signals.js';
import { DESK_NOTICE_KEY } from '../../domain/desk/state.js';
import { fillSlots, fillSomeSlots } from '../../domain/flow/interpolate.js';
import * as conv from '../../domain/contracts/conversation-workflow.js';
import type { DispatchAction } from '../../domain/desk/actions.js';
import { DeskProjector } from '../../domain/desk/projection.js';
import { agentStateOf, type DispatcherSnapshot } from '../../domain/desk/state.js';

/**
 * Regular (not local) activities: in this long-lived, busy workflow every side effect is then an
 * explicit command in history, which keeps replay independent of how slow an activity was.
 */
const effects = proxyActivities<ParleyActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
});

/**
 * Carries the desk's decisions out: signals to conversations, queue notices, agent notifications and
 * the projection, each through an activity started without waiting (`inFlight` counts them).
 */
export class DeskOutbox {
  inFlight = 0;
  private readonly projector = new DeskProjector();
  private readonly pendingSignals = new Map<string, DeskSignal[]>();
  private readonly signalling = new Set<string>();
  /** Queue positions decided and not told yet; told together, at most every `queuePositionIntervalMs`. */
  private readonly positions = new Map<string, { position: number; waitNo: number }>();
  private positionsArmed = false;
  private noticesWritten: Promise<void> = Promise.resolve();

  constructor(private readonly s: DispatcherSnapshot) {}

  /** One turn's output: the actions' signals and notifications, the projection, then the positions when due. */
  send(actions: DispatchAction[]): void {
    this.publish(this.perform(actions));
    this.flushSignals();
    this.schedulePositions();
  }

  private track(p: Promise<unknown>) {
    this.inFlight++;
    p.catch(() => { /* a finished conversation needs no news */ }).finally(() => { this.inFlight--; });
  }

  /**
   * Signals go out through an activity (`signalConversations`), not from this workflow: such a signal
   * is a server task that has to take this busy workflow's lock again to record the delivery, and under
   * load those waited seconds (a visitor assigned at once heard of it 14 s later). Batches run in
   * parallel, but a conversation's next signals wait until its previous batch is done, so each
   * conversation still gets its signals in order.
   */
  private signal<A extends [unknown]>(conversationId: string, def: SignalDefinition<A>, ...args: A) {
    const signal = { conversationId, requestId: uuid4(), signalName: def.name, arg: args[0] };
    this.pendingSignals.set(conversationId, [...(this.pendingSignals.get(conversationId) ?? []), signal]);
  }

  private flushSignals() {
    const ready = [...this.pendingSignals.keys()].filter((id) => !this.signalling.has(id));
    if (ready.length === 0) return;
    const signals = ready.flatMap((id) => this.pendingSignals.get(id)!);
    for (const id of ready) { this.pendingSignals.delete(id); this.signalling.add(id); }
    this.track(effects.signalConversations({ signals }).catch(() => { /* retried by the activity */ }).finally(() => {
      for (const id of ready) this.signalling.delete(id);
      this.flushSignals();
    }));
  }

  private tellPositions() {
    const s = this.s;
    const waiting = new Map(s.queue.map((e) => [e.conversationId, e]));
    const notices: QueueNotice[] = [];
    for (const [conversationId, p] of this.positions) {
      const entry = waiting.get(conversationId);
      if (!entry) continue;
      if (!entry.queueNotice) { this.signal(conversationId, conv.queueUpdateSignal, p); continue; }
      const told = { QueuePosition: String(p.position), WaitNo: String(p.waitNo) };
      const text = fillSlots(entry.queueNotice, told);
      // Issue 19: `${EstimatedWait}` is filled by the activity, which reads recent service times.
      const withWait = entry.queueNotice.some((part) => typeof part !== 'string' && part.slot === 'EstimatedWait');
      notices.push({
        conversationId, messageId: uuid4(), clientId: `${DESK_NOTICE_KEY}${s.noticeSeq = (s.noticeSeq ?? 0) + 1}`, text, ...p,
        ...(withWait ? { template: fillSomeSlots(entry.queueNotice, told) } : {}),
      });
    }
    this.positions.clear();
    this.flushSignals();
    if (notices.length === 0) return;
    // In order: a visitor whose position changed twice must see the latest notice last.
    const next = this.noticesWritten.then(() => effects.postQueueNotices({ notices })).catch(() => { /* retried by the activity */ });
    this.noticesWritten = next;
    this.track(next);
  }

  private schedulePositions() {
    if (this.positions.size === 0 || this.positionsArmed) return;
    const interval = this.s.settings.queuePositionIntervalMs ?? 0;
    if (interval <= 0) { this.tellPositions(); return; }
    this.positionsArmed = true;
    void sleep(interval).then(() => { this.positionsArmed = false; this.tellPositions(); });
  }

  /** Starts the actions' signals; returns the notifications for agents and the agents whose state to send. */
  private perform(actions: DispatchAction[]): { notes: AgentNotification[]; agentsToRefresh: Set<string> } {
    const notes: AgentNotification[] = [];
    const agentsToRefresh = new Set<string>();
    const iso = (t: number) => new Date(t).toISOString();
    for (const a of actions) {
      switch (a.type) {
        case 'position':
          this.positions.set(a.conversationId, { position: a.position, waitNo: a.waitNo });
          break;
        case 'assigned':
          this.signal(a.entry.conversationId, conv.assignedSignal, { agentId: a.agent.agentId, agentName: a.agent.name, teamId: a.entry.teamId });
          agentsToRefresh.add(a.agent.agentId);
          break;
        case 'offered':
          this.signal(a.entry.conversationId, conv.offeredSignal, { agentId: a.agent.agentId, agentName: a.agent.name });
          notes.push({ agentId: a.agent.agentId, event: 'offer', payload: { conversationId: a.entry.conversationId, visitorName: a.entry.visitorName, teamId: a.entry.teamId, expiresAt: iso(a.expiresAt) } });
          agentsToRefresh.add(a.agent.agentId);
          break;
        case 'revoked':
          notes.push({ agentId: a.agentId, event: 'offer:revoked', payload: { conversationId: a.conversationId, reason: a.reason } });
          agentsToRefresh.add(a.agentId);
          break;
        case 'requeued':
          this.signal(a.conversationId, conv.requeuedSignal, { reason: a.reason, teamId: a.teamId, teamName: a.teamName });
          break;
        case 'transferRequested':
          notes.push({ agentId: a.transfer.toAgentId, event: 'transfer:request', payload: { transferId: a.transfer.transferId, conversationId: a.transfer.conversationId, fromAgentName: a.fromAgentName, expiresAt: iso(a.transfer.expiresAt) } });
          this.track(effects.recordTransfer({ ...a.transfer, outcome: 'pending' }));
          agentsToRefresh.add(a.transfer.toAgentId);
          break;
        case 'transferResolved': {
          const t = a.transfer;
          const payload = { transferId: t.transferId, conversationId: t.conversationId, outcome: a.outcome, toAgentName: a.toAgentName, toTeamId: t.toTeamId };
          for (const agentId of new Set([t.fromAgentId, t.toAgentId].filter(Boolean))) {
            notes.push({ agentId, event: 'transfer:result', payload });
            agentsToRefresh.add(agentId);
          }
          this.track(effects.recordTransfer({ ...t, outcome: a.outcome }));
          break;
        }
        case 'transferred':
          this.signal(a.conversationId, conv.transferredSignal, {
            agentId: a.agent.agentId, agentName: a.agent.name, teamId: a.teamId, fromAgentId: a.fromAgentId,
          });
          break;
        case 'closeRequested':
          this.signal(a.conversationId, conv.closeSignal, { by: 'agent', actorId: a.agentId, releasedAtDesk: true });
          break;
        case 'handoffFailed':
          this.signal(a.conversationId, conv.handoffFailedSignal, { reason: a.reason });
          break;
        case 'statusChanged':
          this.track(effects.logAgentStatus({ agentId: a.agentId, status: a.status, reason: a.reason }));
          agentsToRefresh.add(a.agentId);
          break;
      }
    }
    return { notes, agentsToRefresh };
  }

  /**
   * One activity per turn: the projection for lists and checks first, then the agents' sockets. Every
   * agent whose projected row changed is sent its state too, so a slot freed by any close is seen.
   */
  private publish({ notes: told, agentsToRefresh }: ReturnType<DeskOutbox['perform']>) {
    const s = this.s;
    const revision = s.projectionRevision! + 1;
    const projection = this.projector.diff(s, revision);
    for (const row of projection?.agents ?? []) agentsToRefresh.add(row.agentId);
    const notes = [...told];
    for (const id of agentsToRefresh) {
      const a = s.agents[id];
      if (a) notes.push({ agentId: id, event: 'agent:state', payload: agentStateOf(a) });
    }
    if (!notes.length && !projection) return;
    s.projectionRevision = revision;
    const stamped = notes.map((n) => (n.event === 'agent:state' ? { ...n, payload: { ...n.payload, revision } } : n));
    this.track(effects.publishDeskChanges({ notes: stamped, projection }));
  }
}
