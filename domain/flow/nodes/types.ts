import type { z } from 'zod';
import type { MessageBody } from '../../messages.js';
import type { LocalizedText } from '../localized-text.js';
import type { PatternBudget } from '../patterns.js';
import type { FlowSettings } from '../settings.js';
import type { FlowEffect, FlowState, HttpOutcome, VisitorInput } from '../types.js';
import type { SchemaKit } from './kit.js';
import type { TextAt } from '../text-fields.js';

/** Builds a node type's zod schema from the kit (see kit.ts for why it is a function). */
export type NodeSchemaBuilder = (kit: SchemaKit) => z.ZodObject;

/** A node as its type's schema parses it (defaults applied). */
export type NodeOfSchema<S extends NodeSchemaBuilder> = z.output<ReturnType<S>>;

/** What a node handler sees. `state` is the engine's private working copy: handlers may change it. */
export interface NodeContext<N> {
  /** The flow's settings (working hours, rating). */
  readonly settings: FlowSettings;
  readonly node: N;
  readonly state: FlowState;
  readonly now: Date;
  /** Queues a message to the visitor. */
  say(body: MessageBody): void;
  /** Queues any other effect for the conversation workflow. */
  emit(effect: FlowEffect): void;
  /** The text in the visitor's locale (localized-text.ts), with `${var}` interpolated (cut at MAX_INTERPOLATED_TEXT_LENGTH). */
  text(template: LocalizedText): string;
  /** The text in the visitor's locale, not interpolated. */
  localize(text: LocalizedText | undefined): string;
  /** The text in the flow's default locale (what a variable stores, whatever the visitor's locale). */
  canonical(text: LocalizedText | undefined): string;
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

/** A problem a node type's own checks find (the validator adds the node id). */
export interface NodeProblem {
  code: string;
  message: string;
}

/** What a node type's checks may ask the validator. */
export interface NodeCheckEnv {
  /** Why an admin pattern cannot be used (quoted), or null when RE2 takes it. */
  patternProblem(pattern: string): string | null;
  /** Why an outbound URL may not be called under the operator's policy, or null. */
  urlRefusal(url: string): string | null;
}

/**
 * How a node of one type behaves: what the validator checks and what the engine runs. `enter` runs when
 * the flow arrives at the node. What the node waits for is the hook it offers (`input`, `httpResult`
 * or `handoffFailed`); the hook runs when the workflow reports that event.
 */
export interface NodeBehaviour<N> {
  /** Outcomes (edge `on` values) this node type can take, besides the per-node ones from `nodeEdges`. */
  readonly edges: readonly string[];
  /** Extra edge names that only make sense for this particular node (menu item ids). */
  nodeEdges?(node: N): string[];
  /**
   * The texts it shows, as written, with their paths in the node (`${name}` placeholders are checked against
   * the declared variables, and per-locale variants against each other): `nodeTexts` over text-fields.ts.
   */
  texts(node: N): TextAt[];
  /** Variables it reads directly, not through a text. */
  reads?(node: N): string[];
  /** Variables it sets (they count as declared). */
  sets?(node: N): string[];
  /** Its checks beyond the schema, in the order they are reported. */
  check?(node: N, env: NodeCheckEnv): NodeProblem[];
  enter(ctx: NodeContext<N>): NodeResult;
  input?(ctx: NodeContext<N>, input: VisitorInput): NodeResult;
  httpResult?(ctx: NodeContext<N>, outcome: HttpOutcome): NodeResult;
  handoffFailed?(ctx: NodeContext<N>): NodeResult;
}

/** One node type, defined in its folder (domain/flow/nodes/<type>/) and listed in registry.ts. */
export interface NodeType<S extends NodeSchemaBuilder> extends NodeBehaviour<NodeOfSchema<S>> {
  /** The type name, as the schema's `type` literal has it. */
  readonly type: NodeOfSchema<S> extends { type: infer T } ? T : never;
  /** Its schema: what an admin writes for such a node, with the default texts. */
  readonly schema: S;
}
