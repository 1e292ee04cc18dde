import {
  allHandlersFinished, condition, continueAsNew, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, uuid4, workflowInfo,
} from '@temporalio/workflow';
import type { CommandAnswer, ConversationCommand, ConversationEvent } from '../../domain/conversation/events.js';
import { Conversation } from '../../domain/conversation/machine.js';
import type { ConversationInput, ConversationSnapshot } from '../../domain/conversation/state.js';
import { flowUsesPatterns } from '../../domain/flow/engine.js';
import { MAX_CHAINED_HTTP_CALLS } from '../../domain/flow/limits.js';
import { providePatternEngine } from '../../domain/flow/patterns.js';
import { ArmedTimer } from './armed-timer.js';
import * as m from '../../domain/contracts/conversation-workflow.js';
import type { ParleyActivities } from '../../activities/index.js';
import type { HttpOutcome, HttpRequestSpec } from '../../domain/flow/types.js';
import { SA } from '../../domain/search-attributes.js';

export { MAX_CHAINED_HTTP_CALLS };

/**
 * One conversation: runs its service flow, waits in the queue, is served by an agent, closes and
 * collects a rating. Its decisions are the pure state machine's (domain/conversation/machine.ts): this
 * loop feeds it the signals and the timer, and carries its commands out as activities.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationSnapshot> {
  // Only flows with patterns load RE2: each cached workflow evaluates what it loads (domain/flow/patterns.ts).
  if (flowUsesPatterns(input.flow.definition)) providePatternEngine((await import(/* webpackMode: "eager" */ 're2js')).RE2JS);
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
  setHandler(m.handoffFailedSignal, (p) => receive({ type: 'handoffFailed', ...(p?.reason ? { reason: p.reason } : {}) }));
  setHandler(m.messageLeftSignal, (p) => receive({ type: 'messageLeft', leftMessageId: p.leftMessageId }));
  setHandler(m.visitorLeftQueueSignal, () => receive({ type: 'visitorLeftQueue' }));
  setHandler(m.closeSignal, (p) => receive({ type: 'close', by: p.by, releasedAtDesk: p.releasedAtDesk }));
  setHandler(m.rateSignal, (submission) => receive({ type: 'rate', submission }));
  setHandler(m.localeSignal, (p) => receive({ type: 'locale', locale: p.locale }));

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

const local = proxyLocalActivities<ParleyActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
});
const remote = proxyActivities<ParleyActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', maximumInterval: '30s' },
});

/** Carries out one command of the conversation's state machine; a read answers with an event. */
async function perform(input: ConversationInput, c: ConversationCommand): Promise<CommandAnswer | null> {
  const { conversationId, deskId } = input;
  switch (c.type) {
    case 'say': {
      const messages = c.messages.map((m) => ({ id: uuid4(), clientId: m.clientId, sender: c.sender, body: m.body }));
      await local.postMessages({ conversationId, messages, ...(c.projection ? { projection: c.projection } : {}) });
      return null;
    }
    case 'project':
      if (c.index) {
        upsertSearchAttributes([
          { key: SA.status, value: c.index.status },
          { key: SA.agent, value: c.index.agent },
          { key: SA.team, value: c.index.team },
        ]);
      }
      await local.projectConversation(c.projection);
      return null;
    case 'enqueue':
      await remote.enqueueConversation({
        deskId, conversationId, teamId: c.teamId, vip: input.vip, visitorId: input.visitorId, visitorName: input.visitorName,
        enqueuedAt: Date.now(), queueNotice: c.queueNotice, ...(c.failIfNobodyOnline ? { failIfNobodyOnline: true } : {}),
      });
      return null;
    case 'release':
      // A regular activity: it waits for a desk task, which a local one would make this task wait for too.
      await remote.releaseAtDesk({ deskId, conversationId });
      return null;
    case 'storeRating': {
      const { type: _type, ...rating } = c;
      await remote.storeRating({ conversationId, ...rating });
      return null;
    }
    case 'callWebhook':
      return { type: 'webhookResult', outcome: await callWebhook(c.request) };
    case 'readQueueStanding':
      return { type: 'queueStanding', ...(await local.queueStanding({ conversationId })) };
    case 'readChat': {
      const readAt = Date.now();
      return { type: 'chatRead', chat: await local.lastChatMessages({ conversationId, agentId: c.agentId }), readAt };
    }
  }
}

async function callWebhook(request: HttpRequestSpec): Promise<HttpOutcome> {
  const hook = proxyActivities<ParleyActivities>({
    startToCloseTimeout: request.timeoutMs,
    retry: { maximumAttempts: request.maxAttempts, initialInterval: '500ms', backoffCoefficient: 2 },
  });
  try {
    return { ok: true, body: await hook.callWebhook(request) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
