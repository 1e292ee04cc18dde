import type { ClosedBy, MessageBody } from '../messages.js';
import { flowErrorText, flowText, handleVisitorInput, resumeAfterHandoffFailure, resumeAfterHttp, startFlow } from '../flow/engine.js';
import { DEFAULT_TEXTS } from '../flow/default-texts.js';
import type { LocalizedText } from '../flow/localized-text.js';
import { interpolate, interpolateExcept } from '../flow/interpolate.js';
import { MAX_CHAINED_HTTP_CALLS, MAX_HANDOFF_FAILURES_WITHOUT_INPUT } from '../flow/limits.js';
import { DEFAULT_OTHER_TEAM_NAME, DEFAULT_TRANSFER_TEXT, DEFAULT_TRANSFER_TO_TEAM_TEXT } from '../flow/transfer-texts.js';
import type { FlowEffect, StepResult } from '../flow/types.js';
import { absorbChat } from './chat-activity.js';
import type { CommandAnswer, ConversationCommand, ConversationEvent, ConversationProjection, RateSubmission, RatingDetails } from './events.js';
import { ratingScaleOf, type RatingOptions } from '../flow/rating-options.js';
import { QUEUE_SLOTS } from './queue-notices.js';
import { initialSnapshot, type ConversationInput, type ConversationSnapshot } from './state.js';
import { isWithinWorkingHours } from '../flow/working-hours.js';
import type { OfflineSettings } from '../flow/settings.js';
import { formatWaitText } from './estimated-wait.js';
import { NOBODY_SIGNED_IN, offlineSettingsOf } from './offline.js';
import { CHAT_TIMERS, nextTimer, type DueTimer } from './timers.js';

/** Workflow times an event is handled at: `now`, and when the workflow last waited (`sleptAt`, ≤ now). */
export interface Clock { now: number; sleptAt: number }

/** How long a rating that arrived before its conversation closed waits for that close. */
export const HELD_RATING_MS = 60_000;

const CLOSED: ReadonlySet<string> = new Set(['rating', 'ended']);
const HELD: ReadonlySet<string> = new Set(['queued', 'offered', 'assigned']);
const validScore = (score: number, scale: number) => Number.isInteger(score) && score >= 1 && score <= scale;

/**
 * The conversation's state machine: `handle(event)` updates the snapshot and returns the commands the
 * workflow carries out, in order. Pure and deterministic (time comes in with each event; no I/O, no
 * Temporal), so it is unit- and property-tested like the Desk. The workflow feeds it signals, its timer
 * and the answers of its reads, and carries the commands out as activities and search-attribute upserts.
 */
export class Conversation {
  readonly s: ConversationSnapshot;
  private readonly settings: ConversationInput['flow']['definition']['settings'];
  private out: ConversationCommand[] = [];
  private clock: Clock = { now: 0, sleptAt: 0 };
  /** Status, agent and team last written to the search attributes; null: write on every projection. */
  private indexed: { status: string; agent: string | null; team: string | null } | null = null;
  /** The first projection, written with the first messages (one local activity instead of two). */
  private projectWithNextSay: ConversationProjection | null = null;
  /** Web hook calls in a row without the visitor in between (a flow looping through http nodes). */
  private chainedHttpCalls = 0;
  /** Ratings that came before the close that opens their window (a task redone after its worker died). */
  private heldRatings: Array<{ submission: RateSubmission; heldAt: number }> = [];
  /** Issue 19's settings; null for conversations started before them (they replay unchanged). */
  private readonly offline: OfflineSettings | null;
  /** The estimated wait the last queue reading gave (for `${EstimatedWait}` in the reminder). */
  private estimatedWaitSec: number | null = null;

  constructor(private readonly input: ConversationInput, now: number) {
    this.s = input.carried ?? initialSnapshot(input.conversationId, now);
    this.settings = input.flow.definition.settings;
    this.offline = offlineSettingsOf(this.settings);
    // A new run's start request set the search attributes (status `bot`, no agent or team yet).
    if (!input.carried) this.indexed = { status: 'bot', agent: null, team: null };
  }

  get closed(): boolean {
    return CLOSED.has(this.s.status);
  }

  /** The timer the conversation waits on now, or null; none once ended, only the rating window while rating. */
  timer(): DueTimer | null {
    return nextTimer(this.s, this.settings);
  }

  handle(event: ConversationEvent, clock: Clock): ConversationCommand[] {
    this.out = [];
    this.clock = clock;
    this.on(event);
    return this.out;
  }

  private get now(): number {
    return this.clock.now;
  }

  private on(e: ConversationEvent): void {
    switch (e.type) {
      case 'started': return this.start();
      case 'visitorMessage': return this.visitorMessage(e);
      case 'queuePosition': return this.queuePosition(e.position, e.waitNo);
      case 'offered': return this.offered();
      case 'assigned': case 'transferred': return this.assigned(e);
      case 'requeued': return this.requeued(e);
      case 'handoffFailed': return this.handoffFailed(e.reason);
      case 'messageLeft': return this.messageLeft();
      case 'visitorLeftQueue': return this.visitorLeftQueue();
      case 'close': return this.close(e.by, { releasedAtDesk: e.releasedAtDesk });
      case 'rate': return this.rate(e.submission);
      case 'locale': return this.changeLocale(e.locale);
      case 'timerFired': return this.timerFired();
      case 'webhookResult': return this.webhookResult(e);
      case 'queueStanding': return this.queueStanding(e);
      case 'chatRead': return this.chatRead(e);
    }
  }

  private start(): void {
    this.s.revision++;
    this.projectWithNextSay = this.projection();
    this.apply(startFlow(this.input.flow.definition, this.vars(), new Date(this.now), this.locale));
  }

  private visitorMessage(e: Extract<ConversationEvent, { type: 'visitorMessage' }>): void {
    const s = this.s;
    if (!this.firstDelivery(e.messageId) || this.closed) return;
    s.lastActivityAt = this.now;
    s.awaitingVisitorSince = null;
    s.reminderSent = false;
    if (s.status === 'bot' && s.flow.wait === 'input' && s.flow.state) {
      s.handoffFailures = 0;
      this.apply(handleVisitorInput(this.input.flow.definition, s.flow.state, { text: e.text, choiceId: e.choiceId }, new Date(this.now), this.locale));
    }
  }

  /** True the first time a message id is seen (an API retry re-sends a signal); remembers the last 100. */
  private firstDelivery(messageId: string): boolean {
    const ids = this.s.recentMessageIds;
    if (ids.includes(messageId)) return false;
    ids.push(messageId);
    if (ids.length > 100) ids.shift();
    return true;
  }

  private queuePosition(position: number, waitNo: number): void {
    const s = this.s;
    if (s.status !== 'queued' && s.status !== 'offered') return;
    if (position === s.queuePosition && waitNo === s.waitNo) return;
    s.queuePosition = position;
    s.waitNo = waitNo;
    this.queueNotice();
    this.project();
  }

  private offered(): void {
    if (this.s.status !== 'queued') return;
    this.s.status = 'offered';
    this.project();
  }

  private assigned(e: Extract<ConversationEvent, { type: 'assigned' | 'transferred' }>): void {
    const s = this.s;
    if (this.closed || s.status === 'bot') return;
    s.status = 'assigned';
    s.agentId = e.agentId;
    s.agentName = e.agentName;
    s.teamId = e.teamId ?? s.teamId;
    s.queuePosition = null;
    s.waitNo = null;
    s.lastActivityAt = this.now;
    s.awaitingVisitorSince = null;
    // Not `now`: when an attempt of this task ran its local activities (the projection, the
    // announcement) and its completion was lost, the agent was chatting before the retry's
    // clock. The last time the workflow slept is earlier than any attempt (fault run 48494989).
    s.servedSince = this.clock.sleptAt;
    s.chatKnownAt = this.clock.sleptAt;
    this.project(); // state first, so whoever reads the announcement finds it true
    this.say([e.type === 'transferred'
      ? { kind: 'transfer', text: this.text(this.settings.transferText ?? DEFAULT_TRANSFER_TEXT), toAgentName: e.agentName }
      : { kind: 'notice', text: this.text(s.handoff?.connected ?? DEFAULT_TEXTS.handoffConnected) }], 'system');
  }

  private requeued(e: Extract<ConversationEvent, { type: 'requeued' }>): void {
    const s = this.s;
    if (s.status !== 'offered' && s.status !== 'assigned') return;
    s.status = 'queued';
    s.agentId = null;
    s.agentName = null;
    s.awaitingVisitorSince = null;
    s.chatKnownAt = null;
    s.lastActivityAt = this.now;
    if (e.reason !== 'transfer') return this.project();
    s.teamId = e.teamId ?? null;
    s.queuePosition = null;
    this.project();
    const team = e.teamName ?? e.teamId ?? this.localize(this.settings.otherTeamName ?? DEFAULT_OTHER_TEAM_NAME);
    const text = interpolate(this.localize(this.settings.transferToTeamText ?? DEFAULT_TRANSFER_TO_TEAM_TEXT), { ...this.vars(), teamName: team });
    this.say([{ kind: 'transfer', text, toTeamName: team }], 'system');
  }

  private handoffFailed(reason?: string): void {
    const s = this.s;
    if (s.status !== 'queued') return;
    s.status = 'bot';
    s.queuePosition = null;
    s.waitNo = null;
    if (reason === NOBODY_SIGNED_IN && s.handoff?.nobodyOnline === 'message') {
      // Issue 19: nobody can answer, so the visitor may leave a message instead of waiting.
      s.queuedSince = null;
      this.project();
      this.offerLeaveMessage('nobodyOnline');
      this.out.push({ type: 'release' });
      return;
    }
    this.say([{ kind: 'notice', text: this.text(s.handoff?.failed ?? DEFAULT_TEXTS.handoffFailedFallback) }]);
    this.project();
    this.out.push({ type: 'release' }); // back with the bot: the queue must not offer it to an agent any more
    this.resumeAfterFailedHandoff();
  }

  /** The flow goes on after a failed hand-off (its `failed` edge), unless it keeps failing. */
  private resumeAfterFailedHandoff(): void {
    const s = this.s;
    s.handoffFailures = (s.handoffFailures ?? 0) + 1;
    // The flow loops back into a hand-off that keeps failing: end it, not the desk's busiest workflow's day.
    if (s.handoffFailures > MAX_HANDOFF_FAILURES_WITHOUT_INPUT) return this.failFlow();
    if (s.flow.state) this.apply(resumeAfterHandoffFailure(this.input.flow.definition, s.flow.state, new Date(this.now), this.locale));
  }

  /** Ends a flow that cannot go on (past its bounds). */
  private failFlow(): void {
    this.say([{ kind: 'notice', text: flowErrorText(this.input.flow.definition, this.locale) }]);
    this.close('flow', { rating: false, text: null });
  }

  private close(by: ClosedBy, opts: { rating?: boolean; text?: string | null; timeoutText?: string; releasedAtDesk?: boolean } = {}): void {
    if (this.closed) return;
    const s = this.s;
    const settings = this.settings;
    const wasHeld = HELD.has(s.status);
    s.closedBy = by;
    s.endedAt = this.now;
    s.awaitingVisitorSince = null;
    const bodies: MessageBody[] = [];
    if (opts.timeoutText) bodies.push({ kind: 'timeout', text: opts.timeoutText });
    bodies.push({ kind: 'end', text: interpolate(opts.text ?? this.localize(settings.closeText), this.vars()), closedBy: by });
    const options: RatingOptions = settings.rating;
    // Issue 19: only conversations an agent served are invited (a flow setting, absent from the definitions
    // of conversations started before it: those replay as they ran).
    const served = options.agentServedOnly !== true || (s.servedSince ?? null) !== null;
    const wantsRating = (opts.rating ?? settings.rating.enabled) && settings.rating.enabled && (by !== 'timer' || settings.rating.afterAutoClose) && served;
    if (wantsRating) {
      s.status = 'rating';
      s.ratingOpenUntil = this.now + settings.rating.validitySec * 1000;
      bodies.push({
        kind: 'rating-invite', text: this.text(settings.rating.text), validUntil: new Date(s.ratingOpenUntil).toISOString(), scale: ratingScaleOf(options),
        ...(options.style === undefined ? {} : {
          style: options.style, comment: options.comment !== false,
          ...(options.labels?.length ? { labels: options.labels.map((l) => this.localize(l)) } : {}),
          ...(options.askResolved && options.resolvedText ? { resolvedText: this.text(options.resolvedText) } : {}),
        }),
      });
    } else {
      s.status = 'ended';
    }
    this.project();
    this.say(bodies, 'system');
    // A release the desk already made would only be one more signal into the busiest workflow; under a
    // burst of closes such signals made its continue-as-new fail and replay its history (seconds).
    if (wasHeld && !opts.releasedAtDesk) this.out.push({ type: 'release' });
    const held = this.heldRatings.filter((r) => this.now - r.heldAt <= HELD_RATING_MS);
    this.heldRatings = [];
    for (const r of held) this.rate(r.submission);
  }

  private rate(r: RateSubmission): void {
    const s = this.s;
    if (s.rating?.requestIds.includes(r.requestId)) return; // a retry: recorded already
    if (!this.closed) {
      // The API sent it once the projection showed the window open: the close may not be handled yet.
      this.heldRatings.push({ submission: r, heldAt: this.now });
      return;
    }
    // Judged by when the API accepted it: a worker that was down while the window closed must not refuse it.
    const inWindow = s.ratingOpenUntil !== null && r.submittedAt <= s.ratingOpenUntil;
    const options: RatingOptions = this.settings.rating;
    if (!validScore(r.score, ratingScaleOf(options)) || !inWindow) return;
    const extended = options.style !== undefined; // a flow with issue 19's options
    const comment = extended && options.comment === false ? null : r.comment ?? null;
    const details: RatingDetails | null = extended
      ? { scale: ratingScaleOf(options), label: this.labelOf(options, r.score), resolved: options.askResolved ? r.resolved ?? null : null }
      : null;
    const stored = details ? { details } : {};
    if (s.rating && this.settings.rating.policy === 'first') {
      // Two submissions the API let through at once under "first counts": the later one is kept, not counted.
      this.out.push({ type: 'storeRating', score: r.score, comment, requestId: r.requestId, replacePrevious: false, counted: false, ...stored });
      return;
    }
    const first = s.rating === null;
    s.rating = { score: r.score, requestIds: [...(s.rating?.requestIds ?? []), r.requestId] };
    this.out.push({ type: 'storeRating', score: r.score, comment, requestId: r.requestId, replacePrevious: !first, ...stored });
    this.say([{
      kind: 'rating-result', text: this.text(this.settings.rating.thanksText), score: r.score,
      ...(details ? {
        scale: details.scale, ...(details.label ? { label: details.label } : {}), ...(details.resolved !== null ? { resolved: details.resolved } : {}),
        ...(comment ? { comment } : {}),
      } : {}),
    }]);
    this.project();
  }

  /** The armed timer fired: fires what is due now, after a look at the transcript for the chat timers. */
  private timerFired(): void {
    const due = this.timer();
    if (!due || this.now < due.at) return;
    // Messages written since the last look may have moved (or cancelled) this deadline.
    if (CHAT_TIMERS.has(due.kind)) this.out.push({ type: 'readChat', agentId: this.s.agentId });
    else this.fire(due);
  }

  private chatRead(e: Extract<CommandAnswer, { type: 'chatRead' }>): void {
    absorbChat(this.s, e.chat, e.readAt);
    const due = this.timer();
    if (due && this.now >= due.at) this.fire(due);
  }

  private fire(timer: DueTimer): void {
    const settings = this.settings;
    switch (timer.kind) {
      case 'queueReminder':
        this.out.push({ type: 'readQueueStanding' });
        return;
      case 'waitLimit':
        return this.offerLeaveMessage('waitLimit');
      case 'visitorReminder':
        this.s.reminderSent = true;
        this.say([{ kind: 'notice', text: this.text(settings.visitorReminderText) }], 'system');
        return;
      case 'visitorTimeout':
        return this.close('timer', { timeoutText: this.text(settings.visitorTimeoutText) });
      case 'idle':
        return this.close('timer', { timeoutText: this.text(settings.idleCloseText) });
      case 'ratingWindow':
        this.s.status = 'ended';
        return this.project();
      case 'chatCheck':
        return;
    }
  }

  /** The queue reminder: repeats the position unless the desk just told it. */
  private queueStanding(standing: Extract<CommandAnswer, { type: 'queueStanding' }>): void {
    const s = this.s;
    s.lastQueueNoticeAt = Math.max(s.lastQueueNoticeAt ?? 0, standing.lastNoticeAt ?? 0);
    if (this.now < s.lastQueueNoticeAt + (this.settings.queueReminderSec ?? 0) * 1000) return; // re-armed from the desk's notice
    // Not told yet (the desk tells positions at most every queuePositionIntervalMs), or left the queue.
    if (standing.lastNoticeAt === null || standing.position === null) { s.lastQueueNoticeAt = this.now; return; }
    if (this.offline) {
      // Issue 19: at most queueReminderMax reminders (a check put off by the desk's own notice does not count),
      // each said only when the position moved since the last one (the desk tells every change).
      s.queueReminders = (s.queueReminders ?? 0) + 1;
      if (standing.position === s.remindedPosition) { s.lastQueueNoticeAt = this.now; return; }
      s.remindedPosition = standing.position;
      this.estimatedWaitSec = standing.estimatedWaitSec ?? null;
    }
    s.queuePosition = standing.position;
    s.waitNo = standing.position - 1;
    this.queueNotice();
  }

  private queueNotice(): void {
    const s = this.s;
    s.lastQueueNoticeAt = this.now;
    this.say([{ kind: 'queue', text: this.text(this.settings.queueText), position: s.queuePosition ?? 0, waitNo: s.waitNo ?? 0 }], 'system');
  }

  /** Carries out what the flow engine asked for; an http effect (always a step's last) answers later. */
  private apply(step: StepResult): void {
    this.s.flow = { state: step.state, wait: step.wait };
    const pending: MessageBody[] = [];
    for (const effect of step.effects) {
      if (effect.type === 'say') { pending.push(effect.body); continue; }
      this.say(pending.splice(0));
      this.runEffect(effect);
      if (this.closed) return;
    }
    this.say(pending);
  }

  private runEffect(effect: Exclude<FlowEffect, { type: 'say' }>): void {
    if (effect.type === 'http') {
      // The engine's step cap is per call; a cycle through http nodes would call the hook forever.
      if (this.chainedHttpCalls >= MAX_CHAINED_HTTP_CALLS) return this.failFlow();
      this.chainedHttpCalls++;
      this.out.push({ type: 'callWebhook', request: effect.request });
    } else if (effect.type === 'handoff') {
      this.handoff(effect);
    } else {
      this.close('flow', { rating: effect.rating, text: effect.text });
    }
  }

  private webhookResult(e: Extract<CommandAnswer, { type: 'webhookResult' }>): void {
    const step = resumeAfterHttp(this.input.flow.definition, this.s.flow.state!, e.outcome, new Date(this.now), this.locale);
    this.apply(step);
    if (!this.out.some((c) => c.type === 'callWebhook')) this.chainedHttpCalls = 0; // the chain ended
  }

  private handoff(effect: Extract<FlowEffect, { type: 'handoff' }>): void {
    const s = this.s;
    const offline = this.offline;
    if (offline) {
      const policy = effect.whenNobodyAnswers;
      s.handoff = { connected: effect.connected, failed: effect.failed, nobodyOnline: policy ?? offline.whenNobodyOnline };
      const hours = this.settings.workingHours;
      const closed = hours !== null && !isWithinWorkingHours(hours, new Date(this.now));
      const outOfHours = closed ? policy ?? offline.outsideWorkingHours : 'queue';
      if (outOfHours === 'message') {
        s.teamId = effect.teamId;
        return this.offerLeaveMessage('outOfHours');
      }
      if (outOfHours === 'fail') {
        this.say([{ kind: 'notice', text: interpolate(effect.failed, this.vars()) }]);
        return this.resumeAfterFailedHandoff();
      }
      s.queuedSince = this.now;
      s.queueReminders = 0;
      s.remindedPosition = null;
    }
    s.status = 'queued';
    s.teamId = effect.teamId;
    if (!offline) s.handoff = { connected: effect.connected, failed: effect.failed };
    s.lastActivityAt = this.now;
    // The desk tells the visitor its position (no signal per change); the reminder timer starts now.
    s.lastQueueNoticeAt = s.lastActivityAt;
    this.say([{ kind: 'notice', text: interpolate(effect.connecting, this.vars()) }]);
    this.project();
    const failIfNobodyOnline = s.handoff?.nobodyOnline === 'message' || s.handoff?.nobodyOnline === 'fail';
    this.out.push({
      type: 'enqueue', teamId: effect.teamId, queueNotice: interpolateExcept(this.localize(this.settings.queueText), this.vars(), QUEUE_SLOTS),
      ...(failIfNobodyOnline ? { failIfNobodyOnline: true as const } : {}),
    });
  }

  /** Issue 19: offers the visitor to leave a message (the visitor app shows the form while the offer is open). */
  private offerLeaveMessage(reason: 'nobodyOnline' | 'outOfHours' | 'waitLimit'): void {
    const offline = this.offline;
    if (!offline || this.closed || this.s.leaveMessage) return;
    this.s.leaveMessage = { reason, at: this.now };
    const text = reason === 'outOfHours' ? offline.outsideHoursText : reason === 'nobodyOnline' ? offline.nobodyOnlineText : offline.waitLimitText;
    this.say([{ kind: 'leave-message', text: this.text(text), reason }], 'system');
  }

  /** Issue 19: the visitor left a message (the API stored it): the conversation ends, without a rating (nobody served it). */
  private messageLeft(): void {
    if (this.closed || !this.s.leaveMessage || !this.offline || this.s.status === 'assigned') return;
    this.close('left-message', { rating: false, text: this.text(this.offline.leftText) });
  }

  /** Issue 19: a queued visitor who closed the page is taken out of the queue (no agent is offered a visitor who is gone). */
  private visitorLeftQueue(): void {
    const s = this.s;
    if (!this.offline || (s.status !== 'queued' && s.status !== 'offered')) return;
    this.close('visitor', { rating: false, text: this.text(this.offline.droppedText) });
  }

  /** The label of a score in the visitor's locale (issue 19; null when the flow has no labels). */
  private labelOf(options: RatingOptions, score: number): string | null {
    const label = options.labels?.[score - 1];
    return label === undefined ? null : this.localize(label);
  }

  /** The visitor's locale (issue 19); null: the flow's default. */
  private get locale(): string | null {
    return this.s.locale ?? this.input.locale ?? null;
  }

  /** Later texts are said in the new locale; nothing is said now (the API checked it is a supported one). */
  private changeLocale(locale: unknown): void {
    if (typeof locale === 'string' && locale.length > 0 && locale.length <= 35 && !this.closed) this.s.locale = locale;
  }

  /** A flow text in the visitor's locale, not interpolated. */
  private localize(text: LocalizedText): string {
    return flowText(this.input.flow.definition, text, this.locale);
  }

  /** A flow text in the visitor's locale with the conversation's variables filled in. */
  private text(text: LocalizedText): string {
    return interpolate(this.localize(text), this.vars());
  }

  private vars(): Record<string, string> {
    const s = this.s;
    return {
      ...(s.flow.state?.vars ?? {}),
      visitorName: this.input.visitorName,
      agentName: s.agentName ?? '',
      channel: this.input.channel,
      QueuePosition: s.queuePosition === null ? '' : String(s.queuePosition),
      WaitNo: s.waitNo === null ? '' : String(s.waitNo),
      EstimatedWait: formatWaitText(this.estimatedWaitSec, this.locale),
    };
  }

  private say(bodies: MessageBody[], sender: 'bot' | 'system' = 'bot'): void {
    const projection = this.projectWithNextSay;
    if (bodies.length === 0 && !projection) return;
    this.projectWithNextSay = null;
    const messages = bodies.map((body) => ({ clientId: `wf:${++this.s.messageCounter}`, body }));
    this.out.push({ type: 'say', sender, messages, ...(projection ? { projection } : {}) });
  }

  private project(): void {
    const s = this.s;
    s.revision++;
    const now = { status: s.status, agent: s.agentId, team: s.teamId };
    const indexed = this.indexed;
    const changed = !indexed || indexed.status !== now.status || indexed.agent !== now.agent || indexed.team !== now.team;
    if (changed && indexed) this.indexed = now;
    this.projectWithNextSay = null; // superseded by this newer revision
    this.out.push({ type: 'project', projection: this.projection(), ...(changed ? { index: now } : {}) });
  }

  private projection(): ConversationProjection {
    const s = this.s;
    return {
      conversationId: this.input.conversationId, revision: s.revision, status: s.status, agentId: s.agentId, teamId: s.teamId,
      queuePosition: s.queuePosition, closedBy: s.closedBy, rating: s.rating?.score ?? null, endedAt: s.endedAt,
      ratingOpenUntil: s.ratingOpenUntil, agentName: s.agentName, flowVars: { ...(s.flow.state?.vars ?? {}) },
    };
  }
}
