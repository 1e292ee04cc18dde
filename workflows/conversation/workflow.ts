import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ConversationCommand, ConversationEvent } from '../../domain/conversation/events.js';
import { Conversation } from '../../domain/conversation/machine.js';
import type { ConversationInput, ConversationSnapshot } from '../../domain/conversation/state.js';
import { MAX_CHAINED_HTTP_CALLS } from '../../domain/flow/limits.js';
import { ArmedTimer } from './armed-timer.js';
import { perform } from './commands.js';
import * as m from '../../domain/contracts/conversation-workflow.js';

export { MAX_CHAINED_HTTP_CALLS };

/**
 * One conversation: runs its service flow, waits in the queue, is served by an agent, closes and
 * collects a rating. Its decisions are the pure state machine's (domain/conversation/machine.ts): this
 * loop feeds it the signals and the timer, and carries its commands out as activities.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationSnapshot> {
  const conversation = new Conversation(input, Date.now());
  const s = conversation.s;
  const inbox: ConversationEvent[] = [];
  const ended = () => s.status === 'ended';
  const receive = (event: ConversationEvent) => { inbox.push(event); };

  setHandler(m.stateQuery, () => s);
  setHandler(m.visitorMessageSignal, (p) => receive({ type: 'visitorMessage', ...p }));
  setHandler(m.queueUpdateSignal, (p) => receive({ type: 'queuePosition', ...p }));
  setHandler(m.offeredSignal, (p) => receive({ type: 'offered', ...p }));
  setHandler(m.assignedSignal, (p) => receive({ type: 'assigned', ...p }));
  setHandler(m.transferredSignal, (p) => receive({ type: 'transferred', agentId: p.agentId, agentName: p.agentName, teamId: p.teamId }));
  setHandler(m.requeuedSignal, (p) => receive({ type: 'requeued', ...p }));
  setHandler(m.handoffFailedSignal, () => receive({ type: 'handoffFailed' }));
  setHandler(m.closeSignal, (p) => receive({ type: 'close', by: p.by, releasedAtDesk: p.releasedAtDesk }));
  setHandler(m.rateSignal, (submission) => receive({ type: 'rate', submission }));

  /** Workflow time when the loop last waited: a lower bound for anything the next task's attempts did. */
  let sleptAt = Date.now();

  /** Handles one event and carries out its commands; a command's answer is handled before the next command. */
  async function handle(event: ConversationEvent): Promise<void> {
    await carryOut(conversation.handle(event, { now: Date.now(), sleptAt }));
  }
  async function carryOut(commands: ConversationCommand[]): Promise<void> {
    for (const command of commands) {
      const answer = await perform(input, command);
      if (answer) await handle(answer);
    }
  }

  if (!input.carried) await handle({ type: 'started' });

  const armedTimer = new ArmedTimer();
  while (!ended()) {
    armedTimer.set(conversation.timer());
    sleptAt = Date.now();
    await condition(() => inbox.length > 0 || armedTimer.fired);
    const fired = armedTimer.fired;
    while (inbox.length > 0) await handle(inbox.shift()!);
    // Fired with a signal in one activation (a worker catching up after an outage): the timer wins the
    // race, but a visitor's answer or an assignment that came with it may have cancelled the deadline.
    if (fired) await handle({ type: 'timerFired' });
    const info = workflowInfo();
    if ((info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? 10_000)) && !ended()) {
      await condition(allHandlersFinished);
      if (inbox.length === 0) await continueAsNew<typeof conversationWorkflow>({ ...input, carried: s });
    }
  }
  // A rating the API accepted within the window may come in with the window's end (judged by submittedAt).
  while (inbox.length > 0) await handle(inbox.shift()!);
  return s;
}
