import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { Desk, DeskRuleError } from '../../domain/desk/desk.js';
import * as m from '../../domain/contracts/dispatcher-workflow.js';
import { DeskOutbox } from './outbox.js';
import { emptyDispatcher, type DispatcherSettings, type DispatcherSnapshot } from '../../domain/desk/state.js';

export interface DispatcherInput {
  deskId: string;
  settings: DispatcherSettings;
  carried?: DispatcherSnapshot;
  historyLimit?: number;
}

/** Update handlers re-check only state (the validator already checked the clock, and validators are not replayed). */
const NO_CLOCK = Number.NEGATIVE_INFINITY;
/** setHandler cannot infer an update validator's argument from the definition: named here. */
type AgentConversation = { agentId: string; conversationId: string };
type AnswerTransfer = { transferId: string; agentId: string };

/** Turns a broken desk rule into a rejected update: the caller gets the message, history gets nothing. */
function rule<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DeskRuleError) throw ApplicationFailure.nonRetryable(err.message, 'DeskRule');
    throw err;
  }
}

/** Every message to the desk changes it through `changed`, which starts a turn of the loop. */
function setDeskHandlers(desk: Desk, changed: <T>(fn: () => T) => T): void {
  setHandler(m.dispatcherStateQuery, () => desk.s);
  setHandler(m.enqueueUpdate, (req) => { changed(() => desk.enqueue(req)); return { conversationId: req.conversationId }; });
  setHandler(m.releaseUpdate, ({ conversationId }) => { changed(() => desk.release(conversationId)); return { conversationId }; });
  setHandler(m.agentDisconnectedUpdate, ({ agentId }) => { changed(() => desk.disconnected(agentId, Date.now())); return { agentId }; });
  setHandler(m.agentConnectedUpdate, ({ agentId }) => changed(() => {
    const view = desk.connected(agentId);
    return view && { ...view, revision: desk.s.projectionRevision };
  }));
  setHandler(m.updateAgentProfileSignal, (req) => changed(() => desk.updateProfile(req)));
  setHandler(m.settingsChangedSignal, (settings) => changed(() => desk.updateSettings(settings)));
  setHandler(m.setAgentStatusUpdate, (req) => changed(() => ({ ...desk.setAgentStatus(req), revision: desk.s.projectionRevision })));
  setHandler(m.acceptOfferUpdate, ({ agentId, conversationId }) => changed(() => {
    desk.accept(agentId, conversationId, NO_CLOCK);
    return { conversationId };
  }), { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkAccept(agentId, conversationId, Date.now())) });
  setHandler(m.rejectOfferUpdate, ({ agentId, conversationId }) => changed(() => { desk.reject(agentId, conversationId); return { conversationId }; }),
    { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkAccept(agentId, conversationId, NO_CLOCK)) });
  setHandler(m.claimUpdate, ({ agentId, conversationId }) => changed(() => { desk.claim(agentId, conversationId, Date.now()); return { conversationId }; }),
    { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkClaim(agentId, conversationId)) });
  setHandler(m.closeHeldUpdate, ({ agentId, conversationId }) => changed(() => { desk.closeHeld(agentId, conversationId); return { conversationId }; }),
    { validator: ({ agentId, conversationId }: AgentConversation) => rule(() => desk.checkCloseHeld(agentId, conversationId)) });
  setHandler(m.requestTransferUpdate, (req) => changed(() => desk.requestTransfer(req, Date.now())),
    { validator: (req: m.TransferRequest) => rule(() => desk.checkTransfer(req)) });
  setHandler(m.answerTransferUpdate, ({ transferId, agentId, accept }) => changed(() => ({
    outcome: desk.answerTransfer(transferId, agentId, accept, NO_CLOCK),
  })), { validator: ({ transferId, agentId }: AnswerTransfer) => rule(() => desk.checkAnswer(transferId, agentId, Date.now())) });
}

/**
 * One per desk: owns the queues, every agent's presence and load, offers and transfers. All routing
 * decisions happen here, one workflow task at a time, so an agent is never over its limit and a
 * conversation is never given to two agents, however many API and worker processes there are.
 */
export async function dispatcherWorkflow(input: DispatcherInput): Promise<void> {
  const desk = new Desk(input.carried ?? emptyDispatcher(input.deskId, input.settings));
  const s = desk.s;
  const outbox = new DeskOutbox(s);
  let dirty = !!input.carried;
  const changed = <T>(fn: () => T): T => { const r = fn(); dirty = true; return r; };

  setDeskHandlers(desk, changed);

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
    await condition(() => dirty && allHandlersFinished());
    dirty = false;
    const now = Date.now();
    desk.fireTimers(expiredUpTo);
    desk.dispatch(now);
    outbox.send(desk.takeActions());
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? 20_000)) {
      // Let notifications and signals in flight finish first; news arriving meanwhile is routed at
      // once by the next turn of the loop (routing must not stall while draining), then we try again.
      const drained = () => outbox.inFlight === 0 && allHandlersFinished();
      await condition(() => dirty || drained());
      if (!dirty && drained()) await continueAsNew<typeof dispatcherWorkflow>({ ...input, carried: s });
    }
  }
}
