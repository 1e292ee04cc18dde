import type { FlowDefinition, FlowNode } from './schema.js';
import type { MessageBody } from '../messages.js';
import { DEFAULT_TEXTS } from './default-texts.js';
import { DEFAULT_FLOW_ERROR_TEXT, MAX_STEPS_PER_CALL } from './limits.js';
import { localize, type LocalizedText } from './localized-text.js';
import { interpolate } from './interpolate.js';
import { PatternBudget } from './patterns.js';
import { nodeTypeOf, type AnyNodeType } from './nodes/registry.js';
import type { NodeCheckEnv, NodeContext, NodeResult } from './nodes/types.js';
import type { FlowEffect, FlowState, FlowWait, HttpOutcome, StepResult, VisitorInput } from './types.js';

/**
 * The service-flow interpreter. Pure and deterministic: it runs inside Temporal workflow code, so it
 * does no I/O, reads no clock (time comes in as `now`) and imports only types from zod-based modules.
 * It never throws: a broken flow or state, or a flow past one of its bounds (limits.ts),
 * ends the conversation with the flow's error text (flowErrorText) instead.
 */

export { MAX_STEPS_PER_CALL };
/** The default flow-error text in English; a flow's own is `settings.flowErrorText` (see flowErrorText). */
export const FLOW_ERROR_TEXT = DEFAULT_FLOW_ERROR_TEXT;

/**
 * A flow text in the visitor's `locale` (issue 19; fallbacks in localized-text.ts), the flow's default locale
 * coming from its settings. A conversation without a locale (every one before issue 19) reads a plain string
 * as before, and a text with variants in the flow's default locale.
 */
export function flowText(flow: FlowDefinition | undefined, text: LocalizedText | null | undefined, locale?: string | null): string {
  let defaultLocale: string | undefined;
  try {
    defaultLocale = flow?.settings?.defaultLocale;
  } catch {
    // a malformed definition: no default locale
  }
  return localize(text, locale, defaultLocale);
}

/** The flow's error text in `locale`; definitions published before the setting existed use the default. */
export function flowErrorText(flow: FlowDefinition | undefined, locale?: string | null): string {
  try {
    const text = flowText(flow, flow?.settings?.flowErrorText, locale);
    return text !== '' ? text : flowText(flow, DEFAULT_TEXTS.flowErrorText, locale);
  } catch {
    return localize(DEFAULT_TEXTS.flowErrorText, locale);
  }
}

type AnyHandler = AnyNodeType;

/**
 * Told the id of every node the engine arrives at, in order (the designer's preview shows the path taken).
 * Optional and observing only: the workflows pass none, and the steps and effects are the same either way.
 */
export type FlowTrace = (nodeId: string) => void;

/**
 * Whether any node of the flow runs an admin pattern (asked through the node types' own checks, so a new
 * node type with patterns is covered). A flow that cannot be inspected counts as using them.
 */
export function flowUsesPatterns(flow: FlowDefinition): boolean {
  let found = false;
  const env: NodeCheckEnv = { patternProblem: () => { found = true; return null; }, urlRefusal: () => null };
  try {
    for (const node of flow.nodes) handlerOf(node)?.check?.(node, env);
  } catch {
    return true;
  }
  return found;
}

/** The node's type from the registry (domain/flow/nodes/registry.ts), or undefined for an unknown type. */
function handlerOf(node: FlowNode): AnyHandler | undefined {
  return nodeTypeOf(node.type);
}

function findNode(flow: FlowDefinition, id: string): FlowNode | undefined {
  return flow.nodes.find((node) => node.id === id);
}

function copyState(state: FlowState): FlowState {
  return {
    nodeId: state.nodeId ?? null,
    vars: { ...(state.vars ?? {}) },
    menuStack: [...(state.menuStack ?? [])],
    retries: state.retries ?? 0,
    steps: state.steps ?? 0,
  };
}

/** One engine call: a private copy of the state plus the effects produced so far. */
class Run {
  readonly state: FlowState;
  readonly effects: FlowEffect[] = [];
  readonly patterns = new PatternBudget();
  private stepsThisCall = 0;

  constructor(
    readonly flow: FlowDefinition,
    state: FlowState,
    readonly now: Date,
    readonly locale: string | null,
    private readonly trace?: FlowTrace,
  ) {
    this.state = copyState(state);
  }

  context(node: FlowNode): NodeContext<FlowNode> {
    return {
      settings: this.flow.settings,
      node,
      state: this.state,
      now: this.now,
      say: (body: MessageBody) => this.effects.push({ type: 'say', body }),
      emit: (effect: FlowEffect) => this.effects.push(effect),
      text: (template: LocalizedText) => interpolate(flowText(this.flow, template, this.locale), this.state.vars),
      localize: (text: LocalizedText | undefined) => flowText(this.flow, text, this.locale),
      canonical: (text: LocalizedText | undefined) => flowText(this.flow, text, null),
      patterns: this.patterns,
    };
  }

  /** Counts a node execution and makes `node` the current one. */
  arrive(node: FlowNode): void {
    this.stepsThisCall += 1;
    this.state.steps += 1;
    this.state.retries = 0;
    this.state.nodeId = node.id;
    this.trace?.(node.id);
  }

  waitAt(nodeId: string, wait: FlowWait): StepResult {
    this.state.nodeId = nodeId;
    return { state: this.state, effects: this.effects, wait };
  }

  end(nodeId: string, text: string | null, rating: boolean): StepResult {
    this.effects.push({ type: 'end', nodeId, text, rating });
    this.state.nodeId = null;
    this.state.menuStack = [];
    this.state.retries = 0;
    return { state: this.state, effects: this.effects, wait: 'end' };
  }

  fail(nodeId: string): StepResult {
    this.effects.push({ type: 'say', body: { kind: 'notice', text: flowErrorText(this.flow, this.locale) } });
    return this.end(nodeId, null, false);
  }

  /** Runs `act` on `node`, then keeps executing nodes until one waits or the flow ends. */
  drive(node: FlowNode, act: (handler: AnyHandler, ctx: NodeContext<FlowNode>) => NodeResult): StepResult {
    let current = node;
    let result: NodeResult;
    try {
      const handler = handlerOf(current);
      if (handler === undefined) return this.fail(current.id);
      result = act(handler, this.context(current));
      for (;;) {
        let targetId: string;
        switch (result.kind) {
          case 'wait':
            return this.waitAt(current.id, result.wait);
          case 'end':
            return this.end(current.id, result.text, result.rating);
          case 'goto':
            targetId = result.nodeId;
            break;
          case 'follow': {
            const on = result.on;
            const edge = current.edges.find((e) => e.on === on);
            if (edge === undefined) return this.end(current.id, null, this.flow.settings.rating.enabled);
            targetId = edge.to;
            break;
          }
          default:
            return this.fail(current.id);
        }
        if (this.stepsThisCall >= MAX_STEPS_PER_CALL) return this.fail(current.id);
        const next = findNode(this.flow, targetId);
        const nextHandler = next === undefined ? undefined : handlerOf(next);
        if (next === undefined || nextHandler === undefined) return this.fail(current.id);
        current = next;
        this.arrive(current);
        result = nextHandler.enter(this.context(current));
      }
    } catch {
      return this.fail(current.id);
    }
  }
}

/** Last resort when even reading the flow or state failed (e.g. a malformed definition). */
function crashed(flow: FlowDefinition | undefined, state: FlowState | undefined, nodeId: string | null | undefined, locale: string | null): StepResult {
  let vars: Record<string, string> = {};
  try {
    vars = { ...(state?.vars ?? {}) };
  } catch {
    // keep no variables
  }
  return {
    state: { nodeId: null, vars, menuStack: [], retries: 0, steps: typeof state?.steps === 'number' ? state.steps : 0 },
    effects: [
      { type: 'say', body: { kind: 'notice', text: flowErrorText(flow, locale) } },
      { type: 'end', nodeId: nodeId ?? '', text: null, rating: false },
    ],
    wait: 'end',
  };
}

/** The wait a node type stays in, read from the hooks its handler offers. */
function waitOf(handler: AnyHandler): FlowWait | null {
  if (handler.input !== undefined) return 'input';
  if (handler.httpResult !== undefined) return 'http';
  if (handler.handoffFailed !== undefined) return 'handoff';
  return null;
}

/**
 * Delivers an event to the node the flow waits on. When that node does not take this kind of event
 * (or the flow has ended), the same state comes back with no effects and its current wait.
 */
function resume(
  flow: FlowDefinition,
  state: FlowState,
  now: Date,
  locale: string | null,
  pick: (handler: AnyHandler) => ((ctx: NodeContext<FlowNode>) => NodeResult) | undefined,
  trace?: FlowTrace,
): StepResult {
  try {
    return deliver(flow, state, now, locale, pick, trace);
  } catch {
    return crashed(flow, state, state?.nodeId, locale);
  }
}

function deliver(
  flow: FlowDefinition,
  state: FlowState,
  now: Date,
  locale: string | null,
  pick: (handler: AnyHandler) => ((ctx: NodeContext<FlowNode>) => NodeResult) | undefined,
  trace?: FlowTrace,
): StepResult {
  if (state.nodeId === null || state.nodeId === undefined) return { state, effects: [], wait: 'end' };
  const run = new Run(flow, state, now, locale, trace);
  const node = findNode(flow, state.nodeId);
  const handler = node === undefined ? undefined : handlerOf(node);
  const wait = handler === undefined ? null : waitOf(handler);
  if (node === undefined || handler === undefined || wait === null) return run.fail(state.nodeId);
  const hook = pick(handler);
  if (hook === undefined) return { state, effects: [], wait };
  return run.drive(node, (_handler, ctx) => hook(ctx));
}

/**
 * Starts a conversation's flow at its start node with the conversation's variables. `locale` (here and in the
 * other entry points): the visitor's, which picks each text's variant; none reads texts as before issue 19.
 */
export function startFlow(flow: FlowDefinition, vars: Record<string, string>, now: Date, locale: string | null = null, trace?: FlowTrace): StepResult {
  const initial: FlowState = { nodeId: null, vars, menuStack: [], retries: 0, steps: 0 };
  try {
    const run = new Run(flow, initial, now, locale, trace);
    const start = findNode(flow, flow.start);
    if (start === undefined) return run.fail(flow.start);
    run.arrive(start);
    return run.drive(start, (handler, ctx) => handler.enter(ctx));
  } catch {
    return crashed(flow, initial, flow?.start, locale);
  }
}

/** The visitor answered the menu or form the flow waits on. */
export function handleVisitorInput(
  flow: FlowDefinition, state: FlowState, input: VisitorInput, now: Date, locale: string | null = null, trace?: FlowTrace,
): StepResult {
  // Signals arrive from outside the workflow: never let a malformed one break the flow.
  const clean: VisitorInput = { text: typeof input?.text === 'string' ? input.text : '' };
  if (typeof input?.choiceId === 'string') clean.choiceId = input.choiceId;
  return resume(flow, state, now, locale, (handler) => {
    const hook = handler.input;
    return hook === undefined ? undefined : (ctx) => hook(ctx, clean);
  }, trace);
}

/** The web hook the flow waits on answered (or finally failed). */
export function resumeAfterHttp(
  flow: FlowDefinition, state: FlowState, outcome: HttpOutcome, now: Date, locale: string | null = null, trace?: FlowTrace,
): StepResult {
  return resume(flow, state, now, locale, (handler) => {
    const hook = handler.httpResult;
    return hook === undefined ? undefined : (ctx) => hook(ctx, outcome);
  }, trace);
}

/** No agent could take the hand-off the flow waits on (the workflow has already said the `failed` text). */
export function resumeAfterHandoffFailure(flow: FlowDefinition, state: FlowState, now: Date, locale: string | null = null, trace?: FlowTrace): StepResult {
  return resume(flow, state, now, locale, (handler) => {
    const hook = handler.handoffFailed;
    return hook === undefined ? undefined : (ctx) => hook(ctx);
  }, trace);
}
