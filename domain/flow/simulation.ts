import type { MessageBody } from '../messages.js';
import { flowText, handleVisitorInput, resumeAfterHandoffFailure, resumeAfterHttp, startFlow, type FlowTrace } from './engine.js';
import { interpolate } from './interpolate.js';
import type { ScenarioInput } from './scenario-schema.js';
import type { FlowDefinition } from './schema.js';
import type { FlowEffect, FlowState, FlowWait, HttpOutcome, HttpRequestSpec, StepResult } from './types.js';
import { isWithinWorkingHours } from './working-hours.js';

/**
 * One conversation with a flow, without a workflow (issue 20): the designer's "Try it" preview and the
 * scenario runner drive the engine the workflows run (engine.ts) through it, and it turns the engine's
 * effects into what the visitor would read the way the conversation machine does (domain/conversation/
 * machine.ts): hand-off texts, the closing text, working hours. Nothing is queued and no web hook is
 * called: an http node's answer is a stub (stubbedHttpOutcome), a hand-off is described (HandoffPreview).
 * Pure: the clock comes in as `now`.
 */

export type NobodyAnswers = 'queue' | 'message' | 'fail';

/** Where a hand-off would take the visitor, and what they would read. */
export interface HandoffPreview {
  nodeId: string;
  /** The team whose queue the visitor would join; null: the channel's default queue. */
  teamId: string | null;
  connecting: string;
  /** The queue notice the desk would send, with a sample position (1st, nobody ahead). */
  queueText: string;
  connected: string;
  failed: string;
  /** Whether `now` is outside the flow's working hours (false without working hours). */
  outsideHours: boolean;
  /** What happens when nobody is signed in / outside working hours (the node's policy, else the flow's). */
  whenNobodyOnline: NobodyAnswers;
  whenOutsideHours: NobodyAnswers;
  /** The visitor joined the queue (false: outside hours, they were offered to leave a message or the hand-off failed). */
  queued: boolean;
}

/** One step of a simulated conversation: the flow's start (input null) or one input. */
export interface SimulatedStep {
  input: ScenarioInput | null;
  /** What the visitor read, in order. */
  messages: MessageBody[];
  /** The same as plain text (what scenarios compare). */
  texts: string[];
  /** Nodes the engine arrived at in this step, in order. */
  path: string[];
  /** The node the flow waits on now (or where it ended). */
  nodeId: string | null;
  wait: FlowWait;
  /** The web hook call the flow waits for (made by the workflow; stubbed here). */
  http: HttpRequestSpec | null;
  handoff: HandoffPreview | null;
  /** The input was not one the flow waits for: nothing happened. */
  ignored: boolean;
  /** The variables after the step. */
  vars: Record<string, string>;
}

/** The text a visitor reads in a message body (a menu or form with its choices, one per line). */
export function visitorText(body: MessageBody): string {
  switch (body.kind) {
    case 'menu': return [body.header, ...body.items.map((i) => i.content), ...(body.tail ? [body.tail] : [])].join('\n');
    case 'form': return [body.prompt, ...(body.options ?? [])].join('\n');
    case 'file': return body.name;
    default: return 'text' in body ? body.text : '';
  }
}

/**
 * The outcome the workflow would hand the engine for this answer (activities/webhook.ts): a 2xx with a JSON
 * body (or none) succeeds; any other status, or a body that is not JSON, is a failure.
 */
export function stubbedHttpOutcome(status: number, body: string): HttpOutcome {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}` };
  if (body.length === 0) return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(body) as unknown };
  } catch {
    return { ok: false, error: 'the answer is not JSON' };
  }
}

/** Which wait each kind of input answers. */
const ANSWERS: Record<ScenarioInput['kind'], FlowWait> = { answer: 'input', http: 'http', handoffFailed: 'handoff' };

export interface SimulationOptions {
  /** The conversation's variables besides the flow's (visitorName, channel, …). */
  vars: Record<string, string>;
  /** The visitor's locale; null: the flow's default. */
  locale: string | null;
  /** The clock the flow reads (working hours). */
  now: () => Date;
  /** The agent's name in the hand-off's `connected` text (no agent is really involved). */
  sampleAgentName?: string;
}

export class FlowSimulation {
  private state: FlowState | null = null;
  private current: FlowWait = 'end';

  constructor(readonly flow: FlowDefinition, private readonly options: SimulationOptions) {}

  get wait(): FlowWait {
    return this.current;
  }

  /** Starts the flow at its start node. */
  start(): SimulatedStep {
    return this.step(null, (trace) => startFlow(this.flow, this.vars(), this.options.now(), this.options.locale, trace));
  }

  /** Hands the flow an input; one it does not wait for changes nothing (`ignored`). */
  send(input: ScenarioInput): SimulatedStep {
    const state = this.state;
    if (state === null || ANSWERS[input.kind] !== this.current) {
      return {
        input, messages: [], texts: [], path: [], nodeId: state?.nodeId ?? null, wait: this.current, http: null, handoff: null, ignored: true,
        vars: { ...(state?.vars ?? {}) },
      };
    }
    const now = this.options.now();
    const locale = this.options.locale;
    if (input.kind === 'answer') {
      const answer = input.choiceId === undefined ? { text: input.text } : { text: input.text, choiceId: input.choiceId };
      return this.step(input, (trace) => handleVisitorInput(this.flow, state, answer, now, locale, trace));
    }
    if (input.kind === 'http') return this.step(input, (trace) => resumeAfterHttp(this.flow, state, stubbedHttpOutcome(input.status, input.body), now, locale, trace));
    const failedText = this.handoffFailedText;
    return this.step(input, (trace) => resumeAfterHandoffFailure(this.flow, state, now, locale, trace), failedText === null ? [] : [{ kind: 'notice', text: failedText }]);
  }

  private handoffFailedText: string | null = null;

  private vars(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.state?.vars ?? {}), agentName: '', ...this.options.vars, ...extra };
  }

  private text(template: string, extra: Record<string, string> = {}): string {
    return interpolate(template, this.vars(extra));
  }

  private step(input: ScenarioInput | null, run: (trace: FlowTrace) => StepResult, before: MessageBody[] = []): SimulatedStep {
    const path: string[] = [];
    const messages: MessageBody[] = [...before];
    let result = run((id) => path.push(id));
    let http: HttpRequestSpec | null = null;
    let handoff: HandoffPreview | null = null;
    this.handoffFailedText = null;
    // A hand-off that fails at once (outside working hours, policy `fail`) goes on like the machine does.
    for (let rounds = 0; rounds < 10; rounds++) {
      this.state = result.state;
      this.current = result.wait;
      const failedAtOnce = this.apply(result.effects, messages, (h) => (handoff = h), (r) => (http = r));
      if (!failedAtOnce) break;
      result = resumeAfterHandoffFailure(this.flow, result.state, this.options.now(), this.options.locale, (id) => path.push(id));
    }
    const state = this.state;
    return {
      input, messages, texts: messages.map(visitorText), path, nodeId: state?.nodeId ?? null, wait: this.current, http, handoff,
      ignored: false, vars: { ...(state?.vars ?? {}) },
    };
  }

  /** Turns effects into what the visitor reads; true when a hand-off failed at once and the flow goes on. */
  private apply(effects: FlowEffect[], messages: MessageBody[], onHandoff: (h: HandoffPreview) => void, onHttp: (r: HttpRequestSpec) => void): boolean {
    const settings = this.flow.settings;
    for (const effect of effects) {
      if (effect.type === 'say') messages.push(effect.body);
      else if (effect.type === 'http') onHttp(effect.request);
      else if (effect.type === 'end') {
        messages.push({ kind: 'end', text: this.text(effect.text ?? flowText(this.flow, settings.closeText, this.options.locale)), closedBy: 'flow' });
        this.current = 'end';
      } else {
        const offline = settings.offline;
        const hours = settings.workingHours;
        const outsideHours = hours !== null && !isWithinWorkingHours(hours, this.options.now());
        const whenOutsideHours = effect.whenNobodyAnswers ?? offline.outsideWorkingHours;
        const preview: HandoffPreview = {
          nodeId: effect.nodeId, teamId: effect.teamId,
          connecting: this.text(effect.connecting),
          queueText: this.text(flowText(this.flow, settings.queueText, this.options.locale), { QueuePosition: '1', WaitNo: '0' }),
          connected: this.text(effect.connected, { agentName: this.options.sampleAgentName ?? '' }), failed: this.text(effect.failed), outsideHours,
          whenNobodyOnline: effect.whenNobodyAnswers ?? offline.whenNobodyOnline, whenOutsideHours,
          queued: !outsideHours || whenOutsideHours === 'queue',
        };
        onHandoff(preview);
        if (outsideHours && whenOutsideHours === 'message') {
          messages.push({ kind: 'leave-message', text: this.text(flowText(this.flow, offline.outsideHoursText, this.options.locale)), reason: 'outOfHours' });
          this.current = 'end';
        } else if (outsideHours && whenOutsideHours === 'fail') {
          messages.push({ kind: 'notice', text: preview.failed });
          return true;
        } else {
          messages.push({ kind: 'notice', text: preview.connecting });
          this.handoffFailedText = preview.failed;
        }
      }
    }
    return false;
  }
}
