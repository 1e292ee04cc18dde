import type { FlowDefinition, FlowNode, FlowNodeType } from '../schema.js';
import type { MessageBody } from '../../messages.js';
import type { PatternBudget } from '../patterns.js';
import type { FlowEffect, FlowState, HttpOutcome, VisitorInput } from '../types.js';

export type NodeOf<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

/** What a node handler sees. `state` is the engine's private working copy: handlers may change it. */
export interface NodeContext<T extends FlowNodeType = FlowNodeType> {
  readonly flow: FlowDefinition;
  readonly node: NodeOf<T>;
  readonly state: FlowState;
  readonly now: Date;
  /** Queues a message to the visitor. */
  say(body: MessageBody): void;
  /** Queues any other effect for the conversation workflow. */
  emit(effect: FlowEffect): void;
  /** `${var}` interpolation with the current variables (cut at MAX_INTERPOLATED_TEXT_LENGTH). */
  text(template: string): string;
  /** Admin patterns, run within this engine call's budget. */
  readonly patterns: PatternBudget;
}

/** What the engine should do after a handler ran. */
export type NodeResult =
  /** Follow the edge with this `on`; without one the flow ends. */
  | { kind: 'follow'; on: string }
  /** Jump to a node without an edge (a menu's back item). */
  | { kind: 'goto'; nodeId: string }
  /** Stay on this node until the workflow reports back. */
  | { kind: 'wait'; wait: 'input' | 'http' | 'handoff' }
  /** Finish the flow here. */
  | { kind: 'end'; text: string | null; rating: boolean };

/**
 * One module per node type implements this. `enter` runs when the flow arrives at the node; the
 * optional hooks run when the workflow reports what the node was waiting for.
 */
export interface NodeHandler<T extends FlowNodeType> {
  /** Outcomes (edge `on` values) this node type can take, besides the per-node ones from `nodeEdges`. */
  readonly edges: readonly string[];
  /** Extra edge names that only make sense for this particular node (menu item ids). */
  nodeEdges?(node: NodeOf<T>): string[];
  enter(ctx: NodeContext<T>): NodeResult;
  input?(ctx: NodeContext<T>, input: VisitorInput): NodeResult;
  httpResult?(ctx: NodeContext<T>, outcome: HttpOutcome): NodeResult;
  handoffFailed?(ctx: NodeContext<T>): NodeResult;
}
