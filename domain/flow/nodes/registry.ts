import type { FlowNode, FlowNodeType } from '../schema.js';
import { conditionNode } from './condition/node.js';
import { endNode } from './end/node.js';
import { formNode } from './form/node.js';
import { handoffNode } from './handoff/node.js';
import { httpNode } from './http/node.js';
import { menuNode } from './menu/node.js';
import { messageNode } from './message/node.js';
import { ratingNode } from './rating/node.js';
import type { NodeHandler } from './types.js';

export type { NodeContext, NodeHandler, NodeOf, NodeResult } from './types.js';

/** Every node type's handler. A new node type needs its module, one line here and its schema entry. */
export const NODE_HANDLERS: { readonly [T in FlowNodeType]: NodeHandler<T> } = {
  message: messageNode,
  menu: menuNode,
  form: formNode,
  condition: conditionNode,
  http: httpNode,
  handoff: handoffNode,
  rating: ratingNode,
  end: endNode,
};

/** Edge names (`on`) that mean something for this node. */
export function edgeNamesFor(node: FlowNode): string[] {
  if (!Object.hasOwn(NODE_HANDLERS, node.type)) return [];
  const handler = NODE_HANDLERS[node.type] as NodeHandler<FlowNode['type']>;
  return [...handler.edges, ...(handler.nodeEdges?.(node) ?? [])];
}
