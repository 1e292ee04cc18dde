import { conditionNode } from './condition/node.js';
import { endNode } from './end/node.js';
import { formNode } from './form/node.js';
import { handoffNode } from './handoff/node.js';
import { httpNode } from './http/node.js';
import { menuNode } from './menu/node.js';
import { messageNode } from './message/node.js';
import { ratingNode } from './rating/node.js';
import type { NodeBehaviour, NodeOfSchema, NodeSchemaBuilder } from './types.js';

/**
 * Every node type, in the order the schema lists them. The flow schema (domain/flow/schema.ts), the
 * validator and the engine read node types from here only: a new node type is its folder and one line.
 * Zod-free at runtime (schemas are builders), so the engine can load it inside workflow code.
 */
export const NODE_TYPES = [
  messageNode,
  menuNode,
  formNode,
  conditionNode,
  httpNode,
  handoffNode,
  ratingNode,
  endNode,
] as const;

/** A node of any registered type (the same union as the flow schema's FlowNode). */
type NodeOfType<T> = T extends { schema: infer S extends NodeSchemaBuilder } ? NodeOfSchema<S> : never;
export type AnyNode = NodeOfType<(typeof NODE_TYPES)[number]>;

/** A node type as the engine and validator handle any node. */
export type AnyNodeType = NodeBehaviour<AnyNode>;

/** The node type of this `type` name, or undefined for an unknown one. */
export function nodeTypeOf(type: string): AnyNodeType | undefined {
  return NODE_TYPES.find((t) => t.type === type);
}

/** Edge names (`on`) that mean something for this node. */
export function edgeNamesFor(node: AnyNode): string[] {
  const type = nodeTypeOf(node.type);
  return type === undefined ? [] : [...type.edges, ...(type.nodeEdges?.(node) ?? [])];
}
