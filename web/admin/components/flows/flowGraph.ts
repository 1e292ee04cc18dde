/**
 * A loose reading of a flow definition for drawing: it never throws, whatever JSON the editor holds.
 * (The real check is the server's validate endpoint.)
 */
export interface GraphNode {
  id: string;
  type: string;
  x: number;
  y: number;
  /** True when the definition gave no position and one was made up. */
  placed: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  on: string;
  /** The target node does not exist. */
  dangling: boolean;
}

export interface FlowGraph {
  start: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function readFlowGraph(definition: unknown): FlowGraph {
  if (!isObject(definition)) return { start: null, nodes: [], edges: [] };
  const rawNodes = Array.isArray(definition.nodes) ? definition.nodes.filter(isObject) : [];
  const nodes: GraphNode[] = [];
  const seen = new Set<string>();
  let unplaced = 0;
  for (const n of rawNodes) {
    const id = typeof n.id === 'string' ? n.id : null;
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const pos = isObject(n.position) ? n.position : null;
    const x = pos && typeof pos.x === 'number' && Number.isFinite(pos.x) ? pos.x : null;
    const y = pos && typeof pos.y === 'number' && Number.isFinite(pos.y) ? pos.y : null;
    const placed = x === null || y === null;
    nodes.push({ id, type: typeof n.type === 'string' ? n.type : '?', x: x ?? -600, y: y ?? unplaced * 90, placed });
    if (placed) unplaced++;
  }
  const edges: GraphEdge[] = [];
  for (const n of rawNodes) {
    if (typeof n.id !== 'string' || !Array.isArray(n.edges)) continue;
    for (const e of n.edges.filter(isObject)) {
      if (typeof e.to !== 'string') continue;
      edges.push({ from: n.id, to: e.to, on: typeof e.on === 'string' ? e.on : '', dangling: !seen.has(e.to) });
    }
  }
  return { start: typeof definition.start === 'string' ? definition.start : null, nodes, edges };
}
