import type { Edge as FlowEdge, Node as FlowNode } from '@vue-flow/core';

/**
 * The preview's marks on the canvas (issue 20): the node the run waits on (or ended at) and the nodes it
 * passed through, as classes on Vue Flow's node wrappers (styled in PreviewPanel.vue), and the edges between
 * consecutive nodes of the path (the path names nodes, not outputs: two outputs into the same node are both marked).
 * Every element gets its class (empty when unmarked): Vue Flow keeps a class it is no longer given.
 */
export function markPreview<N extends FlowNode>(elements: { nodes: N[]; edges: FlowEdge[] }, current: string | null, path: readonly string[]) {
  const visited = new Set(path);
  const taken = new Set(path.slice(1).map((to, i) => `${path[i]}>${to}`));
  const nodeClass = (id: string) => (id === current ? 'pv-current' : visited.has(id) ? 'pv-visited' : '');
  return {
    nodes: elements.nodes.map((n) => ({ ...n, class: nodeClass(n.id) })),
    edges: elements.edges.map((e) => ({ ...e, animated: taken.has(`${e.source}>${e.target}`), class: taken.has(`${e.source}>${e.target}`) ? 'pv-taken' : '' })),
  };
}
