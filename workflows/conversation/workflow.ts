import {
  allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, patched, proxyActivities, proxyLocalActivities,
  setHandler, upsertMemo, upsertSearchAttributes, uuid4, workflowInfo, ApplicationFailure,
} from '@temporalio/workflow';
import type { ParleyActivities } from '../../activities/index.js';
import type { ProjectionInput } from '../../activities/projection.js';
import type { ClosedBy, MessageBody } from '../../shared/messages.js';
import { flowErrorText, handleVisitorInput, resumeAfterHandoffFailure, resumeAfterHttp, startFlow } from '../flow/engine.js';
import { interpolate, interpolateExcept } from '../flow/interpolate.js';
import type { FlowEffect, StepResult } from '../flow/types.js';
import { SA } from '../search-attributes.js';
import { MAX_CHAINED_HTTP_CALLS, MAX_HANDOFF_FAILURES_WITHOUT_INPUT } from '../flow/limits.js';
import { dispatcherWorkflowId, releaseSignal } from '../dispatcher/messages.js';
import * as m from './messages.js';
import { initialSnapshot, type ConversationInput, type ConversationSnapshot } from './state.js';
import { absorbChat, CHAT_FROM_TRANSCRIPT_PATCH } from './chat-activity.js';
import { QUEUE_BY_DESK_PATCH, QUEUE_SLOTS } from './queue-notices.js';
import { ATTRIBUTES_FROM_START_PATCH } from '../search-attributes.js';
import { CHAT_TIMERS, nextTimer } from './timers.js';
import { ArmedTimer, ONE_ARMED_TIMER_PATCH } from './armed-timer.js';

const local = proxyLocalActivities<ParleyActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
});
const remote = proxyActivities<ParleyActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', maximumInterval: '30s' },
});

/** Conversations started under this patch write their first state with the welcome, in one local activity. */
export const FIRST_PROJECTION_WITH_WELCOME_PATCH = 'first-projection-with-welcome';

/** Conversations under this patch skip their own release when the desk freed the slot already (closeHeldConversation). */
export const RELEASED_AT_DESK_PATCH = 'close-released-at-desk';

/** Conversations under this patch release at the desk through an update (activity `releaseAtDesk`), not a signal. */
export const RELEASE_BY_UPDATE_PATCH = 'release-by-update';

export { MAX_CHAINED_HTTP_CALLS };

type InboxEvent =
  | { type: 'visitor'; text: string; choiceId?: string }
  | { type: 'agentMessage'; agentId: string }
  | { type: 'queue'; position: number; waitNo: number }
  | { type: 'offered'; agentId: string; agentName: string }
  | { type: 'assigned'; agentId: string; agentName: string; teamId: string | null }
  | { type: 'transferred'; agentId: string; agentName: string; teamId: string | null }
  | { type: 'requeued'; reason: string; teamId?: string | null; teamName?: string }
  | { type: 'handoffFailed' }
  | { type: 'close'; by: ClosedBy; releasedAtDesk?: boolean };

/** One conversation: runs its service flow, waits in the queue, is served by an agent, closes and collects a rating. */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationSnapshot> {
  const { definition } = input.flow;
  const settings = definition.settings;
  const s: ConversationSnapshot = input.carried ?? initialSnapshot(input.conversationId, Date.now());
  const inbox: InboxEvent[] = [];
  const closed = () => s.status === 'rating' || s.status === 'ended';

  setHandler(m.stateQuery, () => s);
  /** False only while replaying a history from before live chat left the signal path. */
  const chatFromTranscript = () => patched(CHAT_FROM_TRANSCRIPT_PATCH);
  s.recentMessageIds ??= [];
  /** True the first time a message id is seen; remembers the last 100. */
  const firstDelivery = (messageId: string) => {
    if (s.recentMessageIds.includes(messageId)) return false;
    s.recentMessageIds.push(messageId);
    if (s.recentMessageIds.length > 100) s.recentMessageIds.shift();
    return true;
  };
  setHandler(m.visitorMessageSignal, (p) => { if (firstDelivery(p.messageId)) inbox.push({ type: 'visitor', text: p.text, choiceId: p.choiceId }); });
  setHandler(m.agentMessageSignal, (p) => { if (firstDelivery(p.messageId)) inbox.push({ type: 'agentMessage', agentId: p.agentId }); });
  setHandler(m.queueUpdateSignal, (p) => { inbox.push({ type: 'queue', ...p }); });
  setHandler(m.offeredSignal, (p) => { inbox.push({ type: 'offered', ...p }); });
  setHandler(m.assignedSignal, (p) => { inbox.push({ type: 'assigned', ...p }); });
  setHandler(m.transferredSignal, (p) => { inbox.push({ type: 'transferred', agentId: p.agentId, agentName: p.agentName, teamId: p.teamId }); });
  setHandler(m.requeuedSignal, (p) => { inbox.push({ type: 'requeued', ...p }); });
  setHandler(m.handoffFailedSignal, () => { inbox.push({ type: 'handoffFailed' }); });
  setHandler(m.closeSignal, (p) => { inbox.push({ type: 'close', by: p.by, releasedAtDesk: p.releasedAtDesk }); });
  setHandler(m.closeUpdate, async (p) => {
    inbox.push({ type: 'close', by: p.by, releasedAtDesk: p.releasedAtDesk });
    await condition(closed);
    return { status: s.status };
  }, {
    validator: (_req) => { if (closed()) throw ApplicationFailure.nonRetryable('This conversation is already closed', 'AlreadyClosed'); },
  });
  /** Rating submissions fully recorded (stored, thanked); all of them after a continue-as-new, which waits for handlers. */
  const ratingsDone = new Set<string>(s.rating?.requestIds ?? []);
  let storingRating = false;
  /** Stores a submission that counts and thanks the visitor. */
  async function takeRating(req: m.RateRequest): Promise<void> {
    const first = s.rating === null;
    s.rating = { score: req.score, requestIds: [...(s.rating?.requestIds ?? []), req.requestId] };
    // One submission at a time, in arrival order, so under "last counts" exactly the latest one counts.
    while (storingRating) await condition(() => !storingRating);
    storingRating = true;
    try {
      await remote.storeRating({ conversationId: input.conversationId, score: req.score, comment: req.comment ?? null, requestId: req.requestId,
          replacePrevious: !first });
      await say([{ kind: 'rating-result', text: interpolate(settings.rating.thanksText, vars()), score: req.score }]);
      await project();
    } finally {
      storingRating = false;
    }
    ratingsDone.add(req.requestId);
  }
  setHandler(m.rateSignal, async (req) => {
    // The API sent it once the projection showed the rating window open. The close that opened it may
    // still be in this very activation's inbox (a task redone after its worker died): wait for it, briefly.
    if (!closed()) await condition(closed, '1 minute');
    if (s.rating?.requestIds.includes(req.requestId) || !closed()) return; // a retry, or never open: nothing to record
    const valid = Number.isInteger(req.score) && req.score >= 1 && req.score <= 5;
    // Judged by when the API accepted it: a worker that was down while the window closed must not refuse it.
    const inWindow = s.ratingOpenUntil !== null && req.submittedAt <= s.ratingOpenUntil;
    if (!valid || !inWindow) return;
    if (s.rating && settings.rating.policy === 'first') {
      // Two submissions the API let through at once under "first counts": the later one is kept, not counted.
      await remote.storeRating({ conversationId: input.conversationId, score: req.score, comment: req.comment ?? null, requestId: req.requestId,
          replacePrevious: false, counted: false });
      return;
    }
    await takeRating(req);
  });
  setHandler(m.rateUpdate, async (req) => {
    if (s.rating?.requestIds.includes(req.requestId)) {
      // A retry of a submission already taken: answer like the first time, without storing or thanking twice.
      await condition(() => ratingsDone.has(req.requestId));
      return { counted: s.rating?.requestIds.at(settings.rating.policy === 'first' ? 0 : -1) === req.requestId };
    }
    await takeRating(req);
    return { counted: true };
  }, {
    validator: (req: m.RateRequest) => {
      if (s.rating?.requestIds.includes(req.requestId)) return; // idempotent retry of the same submission
      if (!Number.isInteger(req.score) || req.score < 1 || req.score > 5) throw ApplicationFailure.nonRetryable('score must be a whole number from 1 to 5', 'InvalidRating');
      if (s.status !== 'rating' || s.ratingOpenUntil === null) throw ApplicationFailure.nonRetryable('This conversation is not open for rating', 'RatingNotOpen');
      if (Date.now() > s.ratingOpenUntil) throw ApplicationFailure.nonRetryable('The rating window has closed', 'RatingExpired');
      if (s.rating && settings.rating.policy === 'first') throw ApplicationFailure.nonRetryable('This conversation has already been rated', 'AlreadyRated');
    },
  });

  const vars = (): Record<string, string> => ({
    ...(s.flow.state?.vars ?? {}),
    visitorName: input.visitorName,
    agentName: s.agentName ?? '',
    channel: input.channel,
    QueuePosition: s.queuePosition === null ? '' : String(s.queuePosition),
    WaitNo: s.waitNo === null ? '' : String(s.waitNo),
  });

  /** The first state, written by the local activity that writes the welcome (patch first-projection-with-welcome). */
  let projectWithNextSay: ProjectionInput | null = null;

  async function say(bodies: MessageBody[], sender: 'bot' | 'system' = 'bot'): Promise<void> {
    const projection = projectWithNextSay;
    if (bodies.length === 0 && !projection) return;
    projectWithNextSay = null;
    const messages = bodies.map((body) => ({ id: uuid4(), clientId: `wf:${++s.messageCounter}`, sender, body }));
    await local.postMessages({ conversationId: input.conversationId, messages, ...(projection ? { projection } : {}) });
  }

  const projection = (): ProjectionInput => ({
    conversationId: input.conversationId,
    revision: s.revision,
    status: s.status,
    agentId: s.agentId,
    teamId: s.teamId,
    queuePosition: s.queuePosition,
    closedBy: s.closedBy,
    rating: s.rating?.score ?? null,
    endedAt: s.endedAt,
    ratingOpenUntil: s.ratingOpenUntil,
    agentName: s.agentName,
  });

  /**
   * The status, agent and team last written to the search attributes, when this run tracks them
   * (patch attributes-from-start): an unchanged projection then writes no visibility record.
   */
  let indexed: { status: string; agent: string | null; team: string | null } | null = null;

  async function project(): Promise<void> {
    s.revision++;
    const now = { status: s.status, agent: s.agentId, team: s.teamId };
    if (!indexed || indexed.status !== now.status || indexed.agent !== now.agent || indexed.team !== now.team) {
      upsertSearchAttributes([
        { key: SA.status, value: now.status },
        { key: SA.agent, value: now.agent },
        { key: SA.team, value: now.team },
      ]);
      if (indexed) indexed = now;
    }
    projectWithNextSay = null; // superseded by this newer revision
    await local.projectConversation(projection());
  }

  async function notifyDispatcher(): Promise<void> {
    if (patched(RELEASE_BY_UPDATE_PATCH)) {
      // A regular activity: it waits for a desk task, which a local one would make this task wait for too.
      await remote.releaseAtDesk({ deskId: input.deskId, conversationId: input.conversationId });
      return;
    }
    try {
      await getExternalWorkflowHandle(dispatcherWorkflowId(input.deskId)).signal(releaseSignal, { conversationId: input.conversationId });
    } catch {
      // No dispatcher running means nothing holds this conversation.
    }
  }

  /** Carries out what the flow engine asked for, feeding asynchronous outcomes (webhooks) back in. */
  async function apply(step: StepResult): Promise<void> {
    s.flow = { state: step.state, wait: step.wait };
    const pending: MessageBody[] = [];
    for (const effect of step.effects) {
      if (effect.type === 'say') { pending.push(effect.body); continue; }
      await say(pending.splice(0));
      await runEffect(effect);
      if (closed()) return;
    }
    await say(pending);
  }

  /** Web hook calls in a row without the visitor in between (a flow looping through http nodes). */
  let chainedHttpCalls = 0;

  async function runEffect(effect: Exclude<FlowEffect, { type: 'say' }>): Promise<void> {
    if (effect.type === 'http') {
      if (chainedHttpCalls >= MAX_CHAINED_HTTP_CALLS) {
        // The engine's step cap is per call; a cycle through http nodes would call the hook forever.
        await say([{ kind: 'notice', text: flowErrorText(definition) }]);
        await close('flow', { rating: false, text: null });
        return;
      }
      chainedHttpCalls++;
      try {
        let outcome: { ok: true; body: unknown } | { ok: false; error: string };
        try {
          outcome = { ok: true, body: await webhook(effect.request) };
        } catch (err) {
          outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
        await apply(resumeAfterHttp(definition, s.flow.state!, outcome, new Date()));
      } finally {
        chainedHttpCalls--;
      }
    } else if (effect.type === 'handoff') {
      s.status = 'queued';
      s.teamId = effect.teamId;
      s.handoff = { connected: effect.connected, failed: effect.failed };
      s.lastActivityAt = Date.now();
      // The desk tells the visitor its position (no signal per change); the reminder timer starts now.
      s.queueByDesk = patched(QUEUE_BY_DESK_PATCH);
      if (s.queueByDesk) s.lastQueueNoticeAt = s.lastActivityAt;
      await say([{ kind: 'notice', text: interpolate(effect.connecting, vars()) }]);
      await project();
      await remote.enqueueConversation({
        deskId: input.deskId,
        conversationId: input.conversationId,
        teamId: effect.teamId,
        vip: input.vip,
        visitorId: input.visitorId,
        visitorName: input.visitorName,
        enqueuedAt: Date.now(),
        ...(s.queueByDesk ? { queueNotice: interpolateExcept(settings.queueText, vars(), QUEUE_SLOTS) } : {}),
      });
    } else {
      await close('flow', { rating: effect.rating, text: effect.text });
    }
  }

  function webhook(request: Parameters<ParleyActivities['callWebhook']>[0]) {
    return proxyActivities<ParleyActivities>({
      startToCloseTimeout: request.timeoutMs,
      retry: { maximumAttempts: request.maxAttempts, initialInterval: '500ms', backoffCoefficient: 2 },
    }).callWebhook(request);
  }

  async function close(by: ClosedBy, opts: { rating?: boolean; text?: string | null; timeoutText?: string; releasedAtDesk?: boolean } = {}): Promise<void> {
    if (closed()) return;
    const wasHeld = s.status === 'queued' || s.status === 'offered' || s.status === 'assigned';
    const now = Date.now();
    s.closedBy = by;
    s.endedAt = now;
    s.awaitingVisitorSince = null;
    const bodies: MessageBody[] = [];
    if (opts.timeoutText) bodies.push({ kind: 'timeout', text: opts.timeoutText });
    bodies.push({ kind: 'end', text: interpolate(opts.text ?? settings.closeText, vars()), closedBy: by });
    const wantsRating = (opts.rating ?? settings.rating.enabled) && settings.rating.enabled && (by !== 'timer' || settings.rating.afterAutoClose);
    if (wantsRating) {
      s.status = 'rating';
      s.ratingOpenUntil = now + settings.rating.validitySec * 1000;
      bodies.push({ kind: 'rating-invite', text: interpolate(settings.rating.text, vars()), validUntil: new Date(s.ratingOpenUntil).toISOString(), scale: 5 });
    } else {
      s.status = 'ended';
    }
    await project();
    await say(bodies, 'system');
    // A release the desk already made would only be one more signal into the busiest workflow; under a
    // burst of closes such signals made its continue-as-new fail and replay its history (seconds).
    if (wasHeld && !(opts.releasedAtDesk && patched(RELEASED_AT_DESK_PATCH))) await notifyDispatcher();
  }

  async function handle(e: InboxEvent): Promise<void> {
    const now = Date.now();
    switch (e.type) {
      case 'visitor':
        if (closed()) return;
        s.lastActivityAt = now;
        s.awaitingVisitorSince = null;
        s.reminderSent = false;
        if (s.status === 'bot' && s.flow.wait === 'input' && s.flow.state) {
          s.handoffFailures = 0;
          await apply(handleVisitorInput(definition, s.flow.state, { text: e.text, choiceId: e.choiceId }, new Date(now)));
        }
        return;
      case 'agentMessage':
        if (s.status !== 'assigned' || e.agentId !== s.agentId) return;
        s.lastActivityAt = now;
        s.awaitingVisitorSince = now;
        s.reminderSent = false;
        return;
      case 'queue':
        if (s.status !== 'queued' && s.status !== 'offered') return;
        if (e.position === s.queuePosition && e.waitNo === s.waitNo) return;
        s.queuePosition = e.position;
        s.waitNo = e.waitNo;
        await queueNotice();
        await project();
        return;
      case 'offered':
        if (s.status !== 'queued') return;
        s.status = 'offered';
        await project();
        return;
      case 'requeued':
        if (s.status !== 'offered' && s.status !== 'assigned') return;
        s.status = 'queued';
        s.agentId = null;
        s.agentName = null;
        s.awaitingVisitorSince = null;
        s.chatKnownAt = null;
        s.lastActivityAt = now;
        if (e.reason === 'transfer') {
          s.teamId = e.teamId ?? null;
          s.queuePosition = null;
          await project();
          const team = e.teamName ?? e.teamId ?? 'another team';
          await say([{ kind: 'transfer', text: `You are being transferred to ${team}. Please wait for the next available agent.`, toTeamName: team }], 'system');
        } else {
          await project();
        }
        return;
      case 'assigned':
      case 'transferred': {
        if (closed() || s.status === 'bot') return;
        const transfer = e.type === 'transferred';
        s.status = 'assigned';
        s.agentId = e.agentId;
        s.agentName = e.agentName;
        s.teamId = e.teamId ?? s.teamId;
        s.queuePosition = null;
        s.waitNo = null;
        s.lastActivityAt = now;
        s.awaitingVisitorSince = null;
        if (chatFromTranscript()) {
          // Not `now`: when an attempt of this task ran its local activities (the projection, the
          // announcement) and its completion was lost, the agent was chatting before the retry's
          // clock. The last time the workflow slept is earlier than any attempt (fault run 48494989).
          s.servedSince = sleptAt;
          s.chatKnownAt = sleptAt;
        }
        await project(); // state first, so whoever reads the announcement finds it true
        await say([transfer
          ? { kind: 'transfer', text: `You have been transferred to ${e.agentName}.`, toAgentName: e.agentName }
          : { kind: 'notice', text: interpolate(s.handoff?.connected ?? 'You are now chatting with ${agentName}.', vars()) }], 'system');
        return;
      }
      case 'handoffFailed':
        if (s.status !== 'queued') return;
        s.status = 'bot';
        s.queuePosition = null;
        s.waitNo = null;
        await say([{ kind: 'notice', text: interpolate(s.handoff?.failed ?? 'No agent is available.', vars()) }]);
        await project();
        await notifyDispatcher(); // back with the bot: the queue must not offer it to an agent any more
        s.handoffFailures = (s.handoffFailures ?? 0) + 1;
        if (s.handoffFailures > MAX_HANDOFF_FAILURES_WITHOUT_INPUT) {
          // The flow loops back into a hand-off that keeps failing: end it, not the desk's busiest workflow's day.
          await say([{ kind: 'notice', text: flowErrorText(definition) }]);
          await close('flow', { rating: false, text: null });
          return;
        }
        if (s.flow.state) await apply(resumeAfterHandoffFailure(definition, s.flow.state, new Date(now)));
        return;
      case 'close':
        await close(e.by, { releasedAtDesk: e.releasedAtDesk });
        return;
    }
  }

  /** The reminder when the desk writes the notices: repeats the position unless the desk just told it. */
  async function remindQueuePosition(): Promise<void> {
    const standing = await local.queueStanding({ conversationId: input.conversationId });
    s.lastQueueNoticeAt = Math.max(s.lastQueueNoticeAt ?? 0, standing.lastNoticeAt ?? 0);
    const reminderSec = settings.queueReminderSec ?? 0;
    if (Date.now() < s.lastQueueNoticeAt + reminderSec * 1000) return; // re-armed from the desk's notice
    // Not told yet (the desk tells positions at most every queuePositionIntervalMs), or left the queue.
    if (standing.lastNoticeAt === null || standing.position === null) { s.lastQueueNoticeAt = Date.now(); return; }
    s.queuePosition = standing.position;
    s.waitNo = standing.position - 1;
    await queueNotice();
  }

  async function queueNotice(): Promise<void> {
    s.lastQueueNoticeAt = Date.now();
    await say([{ kind: 'queue', text: interpolate(settings.queueText, vars()), position: s.queuePosition ?? 0, waitNo: s.waitNo ?? 0 }], 'system');
  }

  if (!input.carried) {
    if (patched(ATTRIBUTES_FROM_START_PATCH)) {
      // The API's start request set these (status `bot`, no agent or team yet): nothing to repeat.
      indexed = { status: 'bot', agent: null, team: null };
    } else {
      upsertSearchAttributes([
        { key: SA.visitor, value: input.visitorId },
        { key: SA.flowId, value: input.flow.id },
        { key: SA.flowVersion, value: input.flow.version },
        { key: SA.channel, value: input.channel },
      ]);
      upsertMemo({ visitorName: input.visitorName });
    }
    if (patched(FIRST_PROJECTION_WITH_WELCOME_PATCH)) {
      // One local activity instead of two: apply() says the welcome (or flushes this before any other effect).
      s.revision++;
      projectWithNextSay = projection();
    } else {
      await project();
    }
    await apply(startFlow(definition, vars(), new Date()));
  }

  /** Workflow time when the loop last waited: a lower bound for anything the next task's attempts did. */
  let sleptAt = Date.now();
  const oneArmedTimer = patched(ONE_ARMED_TIMER_PATCH);
  const armedTimer = new ArmedTimer();
  while (s.status !== 'ended') {
    // A conversation served before live chat left the signal path (a running one when Parley was
    // upgraded): from now on it learns of chat from the transcript, starting with a look right away.
    if (s.status === 'assigned' && s.chatKnownAt == null && chatFromTranscript()) s.chatKnownAt = s.lastActivityAt;
    const timer = nextTimer(s, settings);
    sleptAt = Date.now();
    let woke: boolean;
    if (oneArmedTimer) {
      armedTimer.set(timer);
      await condition(() => inbox.length > 0 || armedTimer.fired);
      woke = !armedTimer.fired; // the timer wins when both came in one activation, as below
    } else {
      woke = timer
        ? await condition(() => inbox.length > 0, Math.max(1, timer.at - Date.now()))
        : (await condition(() => inbox.length > 0), true);
    }
    while (inbox.length > 0) await handle(inbox.shift()!);
    // Fire what is still due after the inbox: when the timer and a signal arrive in one activation (the
    // worker catching up after an outage), the timer wins the race, but a visitor's answer or an
    // assignment that came in with it may have cancelled it.
    let due = woke ? null : nextTimer(s, settings);
    if (due && Date.now() >= due.at && CHAT_TIMERS.has(due.kind) && chatFromTranscript()) {
      // Messages written since the last look may have moved (or cancelled) this deadline.
      const readAt = Date.now();
      absorbChat(s, await local.lastChatMessages({ conversationId: input.conversationId, agentId: s.agentId }), readAt);
      due = nextTimer(s, settings);
    }
    if (due && Date.now() >= due.at) {
      const timer = due;
      if (timer.kind === 'queueReminder') await (s.queueByDesk ? remindQueuePosition() : queueNotice());
      else if (timer.kind === 'visitorReminder') {
        s.reminderSent = true;
        await say([{ kind: 'notice', text: interpolate(settings.visitorReminderText, vars()) }], 'system');
      } else if (timer.kind === 'visitorTimeout') await close('timer', { timeoutText: interpolate(settings.visitorTimeoutText, vars()) });
      else if (timer.kind === 'idle') await close('timer', { timeoutText: interpolate(settings.idleCloseText, vars()) });
      else if (timer.kind === 'ratingWindow') {
        s.status = 'ended';
        await project();
      }
    }
    const info = workflowInfo();
    if ((info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? 10_000)) && s.status !== 'ended') {
      await condition(allHandlersFinished);
      if (inbox.length === 0) await continueAsNew<typeof conversationWorkflow>({ ...input, carried: s });
    }
  }
  await condition(allHandlersFinished);
  return s;
}
