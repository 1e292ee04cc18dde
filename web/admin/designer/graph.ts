import type { Edge as FlowEdge, Node as FlowNode } from '@vue-flow/core';
import { nodeTypeOf, type AnyNode } from '../../../domain/flow/nodes/registry.js';
import type { FlowProblem } from '../../../domain/flow/validate.js';

/**
 * The designer edits the draft as plain data (it may be invalid while being built); this module maps it
 * to and from Vue Flow's nodes and edges. Everything here is pure: every edit returns a new draft.
 */
export interface DraftEdge { on: string; to: string }
export interface DraftNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
  edges: DraftEdge[];
  position?: { x: number; y: number };
  [key: string]: unknown;
}
export interface Draft {
  start: string;
  variables: string[];
  nodes: DraftNode[];
  settings: Record<string, unknown>;
  [key: string]: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A saved draft as the designer edits it: missing parts filled in, unknown keys kept (the validator reports them). */
export function toDraft(raw: Record<string, unknown>): Draft {
  const nodes = Array.isArray(raw.nodes) ? raw.nodes.filter(isRecord) : [];
  return {
    ...raw,
    start: typeof raw.start === 'string' ? raw.start : '',
    variables: Array.isArray(raw.variables) ? raw.variables.filter((v): v is string => typeof v === 'string') : [],
    nodes: nodes.map((n) => ({
      ...n,
      id: typeof n.id === 'string' ? n.id : '',
      type: typeof n.type === 'string' ? n.type : '',
      config: isRecord(n.config) ? n.config : {},
      edges: Array.isArray(n.edges) ? n.edges.filter((e): e is DraftEdge => isRecord(e) && typeof e.on === 'string' && typeof e.to === 'string') : [],
    })),
    settings: isRecord(raw.settings) ? raw.settings : {},
  };
}

/** An output of a node: the edge name (`on`) it takes and, for menu items, the item's text. */
export interface NodeOutput { on: string; itemText?: string; stray?: boolean }

/**
 * The outputs a node offers, from its type in the registry (its fixed edges plus the per-node ones, e.g.
 * menu items), then any edge the draft has that the type never takes (drawn as a stray output).
 */
export function outputsOf(node: DraftNode): NodeOutput[] {
  const type = nodeTypeOf(node.type);
  const outputs: NodeOutput[] = [];
  if (type) {
    let perNode: string[];
    try {
      perNode = type.nodeEdges?.(node as unknown as AnyNode) ?? [];
    } catch {
      perNode = []; // config not complete yet
    }
    const items = Array.isArray(node.config.items) ? node.config.items.filter(isRecord) : [];
    for (const on of perNode) {
      if (typeof on !== 'string' || on === '' || outputs.some((o) => o.on === on)) continue;
      const item = items.find((i) => i.id === on);
      outputs.push({ on, itemText: typeof item?.content === 'string' ? item.content : undefined });
    }
    for (const on of type.edges) if (!outputs.some((o) => o.on === on)) outputs.push({ on });
  }
  for (const edge of node.edges) if (!outputs.some((o) => o.on === edge.on)) outputs.push({ on: edge.on, stray: true });
  return outputs;
}

export interface DesignerNodeData {
  node: DraftNode;
  outputs: NodeOutput[];
  isStart: boolean;
  /** Outputs with no edge (the flow ends there). */
  unconnected: string[];
  problems: FlowProblem[];
  unreachable: boolean;
  /** Issue 20: how the node differs in a comparison of two versions (web/admin/designer/versions/). */
  diff?: 'added' | 'removed' | 'changed';
}

/** Rough size of a node card, for the automatic layout before the browser measured it. */
export function estimatedSize(node: DraftNode): { width: number; height: number } {
  return { width: 240, height: 64 + outputsOf(node).length * 26 };
}

/** Vue Flow nodes and edges for a draft; problems are attached to their nodes. */
export function toFlowElements(draft: Draft, problems: readonly FlowProblem[] = []): { nodes: FlowNode<DesignerNodeData>[]; edges: FlowEdge[] } {
  const ids = new Set(draft.nodes.map((n) => n.id));
  const nodes = draft.nodes.map((node, i): FlowNode<DesignerNodeData> => {
    const outputs = outputsOf(node);
    const own = problems.filter((p) => p.nodeId === node.id);
    return {
      id: node.id,
      type: 'parley',
      position: node.position ?? { x: 0, y: i * 140 },
      data: {
        node,
        outputs,
        isStart: draft.start === node.id,
        unconnected: outputs.filter((o) => !node.edges.some((e) => e.on === o.on)).map((o) => o.on),
        problems: own,
        unreachable: own.some((p) => p.code === 'unreachable_node'),
      },
    };
  });
  const edges: FlowEdge[] = [];
  for (const node of draft.nodes) {
    for (const edge of node.edges) {
      if (!ids.has(edge.to)) continue;
      edges.push({ id: edgeId(node.id, edge.on), source: node.id, target: edge.to, sourceHandle: edge.on, targetHandle: 'in' });
    }
  }
  return { nodes, edges };
}

export const edgeId = (source: string, on: string) => `${source}→${on}`;

/** A node id not used yet, from the type name: `menu-1`, `menu-2`, … */
export function freshNodeId(draft: Draft, type: string): string {
  const used = new Set(draft.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!used.has(`${type}-${i}`)) return `${type}-${i}`;
}

const update = (draft: Draft, nodes: DraftNode[], patch: Partial<Draft> = {}): Draft => ({ ...draft, nodes, ...patch });

/** Adds a node; the first node of an empty flow becomes its start. */
export function addNode(draft: Draft, node: DraftNode): Draft {
  return update(draft, [...draft.nodes, node], draft.start === '' || !draft.nodes.some((n) => n.id === draft.start) ? { start: node.id } : {});
}

/** Removes nodes and every edge into them; the start moves to the first remaining node if it was removed. */
export function removeNodes(draft: Draft, ids: readonly string[]): Draft {
  const gone = new Set(ids);
  const nodes = draft.nodes.filter((n) => !gone.has(n.id)).map((n) => ({ ...n, edges: n.edges.filter((e) => !gone.has(e.to)) }));
  return update(draft, nodes, gone.has(draft.start) ? { start: nodes[0]?.id ?? '' } : {});
}

/** Connects `source`'s output `on` to `target` (an output has one edge: a new connection replaces the old). */
export function connect(draft: Draft, source: string, on: string, target: string): Draft {
  return update(draft, draft.nodes.map((n) => (n.id === source ? { ...n, edges: [...n.edges.filter((e) => e.on !== on), { on, to: target }] } : n)));
}

export function disconnect(draft: Draft, source: string, on: string): Draft {
  return update(draft, draft.nodes.map((n) => (n.id === source ? { ...n, edges: n.edges.filter((e) => e.on !== on) } : n)));
}

/** Moves nodes (positions rounded to whole pixels). */
export function setPositions(draft: Draft, positions: Readonly<Record<string, { x: number; y: number }>>): Draft {
  return update(draft, draft.nodes.map((n) => {
    const p = positions[n.id];
    return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
  }));
}

export function replaceNode(draft: Draft, id: string, next: DraftNode): Draft {
  return update(draft, draft.nodes.map((n) => (n.id === id ? next : n)));
}

/** Renames a node, with the edges into it and the start; refused (null) when the id is taken. */
export function renameNode(draft: Draft, from: string, to: string): Draft | null {
  if (from === to) return draft;
  if (draft.nodes.some((n) => n.id === to)) return null;
  const nodes = draft.nodes.map((n) => ({
    ...n,
    id: n.id === from ? to : n.id,
    edges: n.edges.map((e) => (e.to === from ? { ...e, to } : e)),
  }));
  return update(draft, nodes, draft.start === from ? { start: to } : {});
}

/**
 * Copies of `nodes` for a paste: fresh ids, shifted by `offset`, keeping only the edges between copied
 * nodes (renamed to the copies).
 */
export function pasteNodes(draft: Draft, copied: readonly DraftNode[], offset = 40): { draft: Draft; ids: string[] } {
  let next = draft;
  const renamed = new Map<string, string>();
  for (const node of copied) {
    const id = freshNodeId(next, node.type);
    renamed.set(node.id, id);
    next = { ...next, nodes: [...next.nodes, { ...node, id, edges: [] }] };
  }
  const nodes = next.nodes.map((n) => {
    const original = copied.find((c) => renamed.get(c.id) === n.id);
    if (!original) return n;
    const position = original.position ? { x: original.position.x + offset, y: original.position.y + offset } : undefined;
    return {
      ...structuredClone(original),
      id: n.id,
      ...(position ? { position } : {}),
      edges: original.edges.filter((e) => renamed.has(e.to)).map((e) => ({ on: e.on, to: renamed.get(e.to)! })),
    };
  });
  return { draft: { ...next, nodes, start: next.start === '' ? (nodes[0]?.id ?? '') : next.start }, ids: [...renamed.values()] };
}

/** The draft without positions, as a stable string: publishing a draft whose only change is where nodes sit makes no sense. */
export function behaviourKey(definition: Record<string, unknown>): string {
  const strip = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x));
    if (!isRecord(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (!(k === 'position' && key === 'node')) out[k] = strip(v[k], k === 'nodes' ? 'nodes' : undefined);
    return out;
  };
  const nodesAware = (v: unknown): unknown => {
    if (!isRecord(v)) return strip(v);
    const { nodes, ...rest } = v;
    const clean = strip(rest) as Record<string, unknown>;
    if (Array.isArray(nodes)) clean.nodes = nodes.map((n) => strip(n, 'node'));
    return clean;
  };
  return JSON.stringify(nodesAware(definition));
}
