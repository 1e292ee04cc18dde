import type { ELK as ElkApi, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { estimatedSize, type Draft } from './graph.js';

export type Positions = Record<string, { x: number; y: number }>;

/**
 * Lays the flow out left to right with ELK's layered algorithm: nodes in columns by distance from the
 * start, edges routed between them. Output labels sit inside the node cards, so nothing can overlap a
 * node. `sizes` are measured card sizes when the canvas has them (estimates otherwise). ELK is loaded
 * on first use only.
 */
export async function autoLayout(draft: Draft, sizes: Readonly<Record<string, { width: number; height: number }>> = {}): Promise<Positions> {
  if (draft.nodes.length === 0) return {};
  // A CommonJS module: bundlers hand its export as `default`, Node's ESM loader as `default.default`.
  const loaded = (await import('elkjs/lib/elk.bundled.js')) as unknown as { default: (new () => ElkApi) | { default: new () => ElkApi } };
  const ELK = 'default' in loaded.default ? loaded.default.default : loaded.default;
  const elk = new ELK();
  const ids = new Set(draft.nodes.map((n) => n.id));
  // The start node first, so it lands in the first column.
  const ordered = [...draft.nodes].sort((a, b) => Number(b.id === draft.start) - Number(a.id === draft.start));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.separateConnectedComponents': 'true',
      'elk.spacing.componentComponent': '60',
      // A long chain wraps into rows instead of one line too wide to read once fitted.
      'elk.layered.wrapping.strategy': 'MULTI_EDGE',
      'elk.aspectRatio': '1.6',
    },
    children: ordered.map((n) => ({ id: n.id, ...(sizes[n.id] ?? estimatedSize(n)) })),
    edges: draft.nodes.flatMap((n) => n.edges.filter((e) => ids.has(e.to) && e.to !== n.id).map((e) => ({ id: `${n.id}→${e.on}`, sources: [n.id], targets: [e.to] }))),
  };
  const result = await elk.layout(graph);
  const positions: Positions = {};
  for (const child of result.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}

/** Whether any node lacks a position (the flow was written by hand or imported). */
export const needsLayout = (draft: Draft) => draft.nodes.some((n) => !n.position);
