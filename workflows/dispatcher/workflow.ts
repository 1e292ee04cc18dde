import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, getExternalWorkflowHandle, patched, proxyActivities,
  setHandler, sleep, uuid4, workflowInfo, type SignalDefinition,
} from '@temporalio/workflow';
import type { ParleyActivities } from '../../activities/index.js';
import type { AgentNotification, QueueNotice } from '../../activities/desk.js';
import type { DeskSignal } from '../../activities/desk-signals.js';
import { conversationWorkflowId } from '../../shared/ids.js';
import { fillSlots } from '../flow/interpolate.js';
import { DESK_NOTICE_KEY } from '../conversation/queue-notices.js';
import * as conv from '../conversation/messages.js';
import type { DispatchAction } from './actions.js';
import { Desk, DeskRuleError } from './desk.js';
import * as m from './messages.js';
import { DeskProjector } from './projection.js';
import { agentStateOf, emptyDispatcher, type DispatcherSettings, type DispatcherSnapshot } from './state.js';

/**
 * Regular (not local) activities: in this long-lived, busy workflow every side effect is then an
 * explicit command in history, which keeps replay independent of how slow an activity was.
 */
const effects = proxyActivities<ParleyActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
});

export interface DispatcherInput {
  deskId: string;
  settings: DispatcherSettings;
  carried?: DispatcherSnapshot;
  historyLimit?: number;
}

export const TURN_AFTER_HANDLERS_PATCH = 'dispatcher-turn-after-handlers';
export const SIGNALS_BY_ACTIVITY_PATCH = 'desk-signals-by-activity';

/** Update handlers re-check only state (the validator already checked the clock, and validators are not replayed). */
const NO_CLOCK = Number.NEGATIVE_INFINITY;
/** setHandler cannot infer an update validator's argument from the definition: named here. */
type AgentConversation = { agentId: string; conversationId: string };

/** Turns a broken desk rule into a rejected update: the caller gets the message, history gets nothing. */
function rule<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DeskRuleError) throw ApplicationFailure.nonRetryable(err.message, 'DeskRule');
    throw err;
  }
}

/**
 * One per desk: owns the queues, every agent's presence and load, offers and transfers. All routing
 * decisions happen here, one workflow task at a time, so an agent is never over its limit and a
 * conversation is never given to two agents, however many API and worker processes there are.
 */
export async function dispatcherWorkflow(input: DispatcherInput): Promise<void> {
  const desk = new Desk(input.carried ?? emptyDispatcher(input.deskId, input.settings));
  const s = desk.s;
  s.transfers ??= [];
  s.held ??= {};
  s.rrCursor ??= {};
  s.projectionRevision ??= 0;
  const projector = new DeskProjector();
  let dirty = !!input.carried;
  let inFlight = 0;
  const changed = <T>(fn: () => T): T => { const r = fn(); dirty = true; return r; };

  function track(p: Promise<unknown>) {
    inFlight++;
    p.catch(() => { /* a finished conversation needs no news */ }).finally(() => { inFlight--; });
  }
  /**
   * Signals sent to one workflow without waiting can arrive in any order (seen: `requeued` delivered
   * after the queue position sent after it, so the position was dropped). Each conversation gets a lane:
   * a signal is sent once the previous one to the same conversation has been delivered.
   */
  const lanes = new Map<string, Promise<void>>();
  /**
   * Newer runs hand their signals to an activity (`signalConversations`) instead of signalling from this
   * workflow: such a signal is a server task that has to take this busy workflow's lock again to record
   * the delivery, and under load those waited seconds (a visitor assigned at once heard of it 14 s
   * later). Batches run in parallel, but a conversation's next signals wait until its previous batch is
   * done, so each conversation still gets its signals in order.
   */
  let signalsByActivity: boolean | undefined;
  const pendingSignals = new Map<string, DeskSignal[]>();
  const signalling = new Set<string>();
  function flushSignals() {
    const ready = [...pendingSignals.keys()].filter((id) => !signalling.has(id));
    if (ready.length === 0) return;
    const signals = ready.flatMap((id) => pendingSignals.get(id)!);
    for (const id of ready) { pendingSignals.delete(id); signalling.add(id); }
    track(effects.signalConversations({ signals }).catch(() => { /* retried by the activity */ }).finally(() => {
      for (const id of ready) signalling.delete(id);
      flushSignals();
    }));
  }
  function signalConversation<A extends [unknown]>(conversationId: string, def: SignalDefinition<A>, ...args: A) {
    if ((signalsByActivity ??= patched(SIGNALS_BY_ACTIVITY_PATCH))) {
      pendingSignals.set(conversationId,
          [...(pendingSignals.get(conversationId) ?? []), { conversationId, requestId: uuid4(), signalName: def.name, arg: args[0] }]);
      return;
    }
    const send = () => getExternalWorkflowHandle(conversationWorkflowId(conversationId)).signal(def, ...args);
    const next = (lanes.get(conversationId) ?? Promise.resolve()).then(send).catch(() => { /* a finished conversation needs no news */ });
    lanes.set(conversationId, next);
    track(next.finally(() => { if (lanes.get(conversationId) === next) lanes.delete(conversationId); }));
  }

  setHandler(m.dispatcherStateQuery, () => s);
  // Each as an update (what current code sends) and as the signal earlier code sent, one handler for both.
  const enqueue = (req: m.EnqueueRequest) => { changed(() => desk.enqueue(req)); return { conversationId: req.conversationId }; };
  const release = ({ conversationId }: { conversationId: string }) => { changed(() => desk.release(conversationId)); return { conversationId }; };
  const disconnected = ({ agentId }: { agentId: string }) => { changed(() => desk.disconnected(agentId, Date.now())); return { agentId }; };
  setHandler(m.enqueueUpdate, enqueue);
  setHandler(m.enqueueSignal, (req) => { enqueue(req); });
  setHandler(m.releaseUpdate, release);
  setHandler(m.releaseSignal, (req) => { release(req); });
  setHandler(m.agentDisconnectedUpdate, disconnected);
  setHandler(m.agentDisconnectedSignal, (req) => { disconnected(req); });
  setHandler(m.agentConnectedUpdate, ({ agentId }) => changed(() => {
    const view = desk.connected(agentId);
    return view && { ...view, revision: s.projectionRevision };
  }));
  setHandler(m.updateAgentProfileSignal, (req) => changed(() => desk.updateProfile(req)));
  setHandler(m.settingsChangedSignal, (settings) => changed(() => desk.updateSettings(settings)));
  setHandler(m.setAgentStatusUpdate, (req) => changed(() => ({ ...desk.setAgentStatus(req), revision: s.projectionRevision })));
  setHandler(m.acceptOfferUpdate,
      ({ agentId, conversationId }) => changed(() => { desk.accept(agentId, conversationId, NO_CLOCK); return { conversationId }; }),
    { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkAccept(agentId, conversationId, Date.now())) });
  setHandler(m.rejectOfferUpdate, ({ agentId, conversationId }) => changed(() => { desk.reject(agentId, conversationId); return { conversationId }; }),
    { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkAccept(agentId, conversationId, NO_CLOCK)) });
  setHandler(m.claimUpdate, ({ agentId, conversationId }) => changed(() => { desk.claim(agentId, conversationId, Date.now()); return { conversationId }; }),
    { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkClaim(agentId, conversationId)) });
  setHandler(m.closeHeldUpdate, ({ agentId, conversationId }) => changed(() => { desk.closeHeld(agentId, conversationId); return { conversationId }; }),
    { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkCloseHeld(agentId, conversationId)) });
  setHandler(m.requestTransferUpdate, (req) => changed(() => desk.requestTransfer(req, Date.now())),
    { validator: (req: m.TransferRequest) => rule(() => desk.checkTransfer(req)) });
  setHandler(m.answerTransferUpdate,
      ({ transferId, agentId, accept }) => changed(() => ({ outcome: desk.answerTransfer(transferId, agentId, accept, NO_CLOCK) })),
    { validator: ({ transferId, agentId }: { transferId: string; agentId: string }) => rule(() => desk.checkAnswer(transferId, agentId, Date.now())) });

  /** Queue positions decided and not told yet; told together, at most every `queuePositionIntervalMs`. */
  const positions = new Map<string, { position: number; waitNo: number }>();
  let positionsArmed = false;
  let noticesWritten: Promise<void> = Promise.resolve();
  function tellPositions() {
    const waiting = new Map(s.queue.map((e) => [e.conversationId, e]));
    const notices: QueueNotice[] = [];
    for (const [conversationId, p] of positions) {
      const entry = waiting.get(conversationId);
      if (!entry) continue;
      if (!entry.queueNotice) { signalConversation(conversationId, conv.queueUpdateSignal, p); continue; }
      const text = fillSlots(entry.queueNotice, { QueuePosition: String(p.position), WaitNo: String(p.waitNo) });
      notices.push({ conversationId, messageId: uuid4(), clientId: `${DESK_NOTICE_KEY}${s.noticeSeq = (s.noticeSeq ?? 0) + 1}`, text, ...p });
    }
    positions.clear();
    flushSignals();
    if (notices.length === 0) return;
    // In order: a visitor whose position changed twice must see the latest notice last.
    const next = noticesWritten.then(() => effects.postQueueNotices({ notices })).catch(() => { /* retried by the activity */ });
    noticesWritten = next;
    track(next);
  }
  function schedulePositions() {
    if (positions.size === 0 || positionsArmed) return;
    const interval = s.settings.queuePositionIntervalMs ?? 0;
    if (interval <= 0) { tellPositions(); return; }
    positionsArmed = true;
    void sleep(interval).then(() => { positionsArmed = false; tellPositions(); });
  }

  /** Starts the actions' signals; returns the notifications for agents and the agents whose state to send. */
  function perform(actions: DispatchAction[]): { notes: AgentNotification[]; agentsToRefresh: Set<string> } {
    const notes: AgentNotification[] = [];
    const agentsToRefresh = new Set<string>();
    const iso = (t: number) => new Date(t).toISOString();
    for (const a of actions) {
      switch (a.type) {
        case 'position':
          positions.set(a.conversationId, { position: a.position, waitNo: a.waitNo });
          break;
        case 'assigned':
          signalConversation(a.entry.conversationId, conv.assignedSignal, { agentId: a.agent.agentId, agentName: a.agent.name, teamId: a.entry.teamId });
          agentsToRefresh.add(a.agent.agentId);
          break;
        case 'offered':
          signalConversation(a.entry.conversationId, conv.offeredSignal, { agentId: a.agent.agentId, agentName: a.agent.name });
          notes.push({ agentId: a.agent.agentId, event: 'offer', payload: { conversationId: a.entry.conversationId, visitorName: a.entry.visitorName, teamId: a.entry.teamId, expiresAt: iso(a.expiresAt) } });
          agentsToRefresh.add(a.agent.agentId);
          break;
        case 'revoked':
          notes.push({ agentId: a.agentId, event: 'offer:revoked', payload: { conversationId: a.conversationId, reason: a.reason } });
          agentsToRefresh.add(a.agentId);
          break;
        case 'requeued':
          signalConversation(a.conversationId, conv.requeuedSignal, { reason: a.reason, teamId: a.teamId, teamName: a.teamName });
          break;
        case 'transferRequested':
          notes.push({ agentId: a.transfer.toAgentId, event: 'transfer:request', payload: { transferId: a.transfer.transferId, conversationId: a.transfer.conversationId, fromAgentName: a.fromAgentName, expiresAt: iso(a.transfer.expiresAt) } });
          track(effects.recordTransfer({ ...a.transfer, outcome: 'pending' }));
          agentsToRefresh.add(a.transfer.toAgentId);
          break;
        case 'transferResolved': {
          const t = a.transfer;
          const payload = { transferId: t.transferId, conversationId: t.conversationId, outcome: a.outcome, toAgentName: a.toAgentName, toTeamId: t.toTeamId };
          for (const agentId of new Set([t.fromAgentId, t.toAgentId].filter(Boolean))) {
            notes.push({ agentId, event: 'transfer:result', payload });
            agentsToRefresh.add(agentId);
          }
          track(effects.recordTransfer({ ...t, outcome: a.outcome }));
          break;
        }
        case 'transferred':
          signalConversation(a.conversationId, conv.transferredSignal,
              { agentId: a.agent.agentId, agentName: a.agent.name, teamId: a.teamId, fromAgentId: a.fromAgentId });
          break;
        case 'closeRequested':
          signalConversation(a.conversationId, conv.closeSignal, { by: 'agent', actorId: a.agentId, releasedAtDesk: true });
          break;
        case 'handoffFailed':
          signalConversation(a.conversationId, conv.handoffFailedSignal, { reason: a.reason });
          break;
        case 'statusChanged':
          track(effects.logAgentStatus({ agentId: a.agentId, status: a.status, reason: a.reason }));
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
  function publish({ notes: told, agentsToRefresh }: ReturnType<typeof perform>) {
    const revision = s.projectionRevision! + 1;
    const projection = projector.diff(s, revision);
    for (const row of projection?.agents ?? []) agentsToRefresh.add(row.agentId);
    const notes = [...told];
    for (const id of agentsToRefresh) {
      const a = s.agents[id];
      if (a) notes.push({ agentId: id, event: 'agent:state', payload: agentStateOf(a) });
    }
    if (!notes.length && !projection) return;
    s.projectionRevision = revision;
    const stamped = notes.map((n) => (n.event === 'agent:state' ? { ...n, payload: { ...n.payload, revision } } : n));
    track(effects.publishDeskChanges({ notes: stamped, projection }));
  }

  /*
   * Offers, transfers and disconnect grace expire when a durable timer fires, up to the deadline that
   * timer was armed for — never by comparing with Date.now(), which a restarted worker's first task
   * can read stale (Temporal TS SDK 1.24; see tests/faults/sdk-stale-clock), making replay disagree.
   */
  let armedFor: number | null = null;
  let expiredUpTo = Number.NEGATIVE_INFINITY;
  function armTimer() {
    const deadline = desk.nextDeadline();
    if (deadline === null || (armedFor !== null && armedFor <= deadline)) return;
    armedFor = deadline;
    void sleep(Math.max(1, deadline - Date.now())).then(() => {
      expiredUpTo = Math.max(expiredUpTo, deadline);
      if (armedFor === deadline) armedFor = null;
      dirty = true;
    });
  }

  for (;;) {
    armTimer();
    // A turn starts once every update of the activation has answered: the order of update completions
    // and the turn's commands then no longer depends on how the SDK grouped the updates into
    // activations, which differed between a live worker and replay (docs/faults.md, "update burst").
    const afterHandlers = patched(TURN_AFTER_HANDLERS_PATCH);
    await condition(() => dirty && (!afterHandlers || allHandlersFinished()));
    dirty = false;
    const now = Date.now();
    desk.fireTimers(expiredUpTo);
    desk.dispatch(now);
    publish(perform(desk.takeActions()));
    flushSignals();
    schedulePositions();
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? 20_000)) {
      // Let notifications and signals in flight finish first; news arriving meanwhile is routed at
      // once by the next turn of the loop (routing must not stall while draining), then we try again.
      const drained = () => inFlight === 0 && allHandlersFinished();
      await condition(() => dirty || drained());
      if (!dirty && drained()) await continueAsNew<typeof dispatcherWorkflow>({ ...input, carried: s });
    }
  }
}
