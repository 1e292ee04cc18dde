import type { Edge as FlowEdge, Node as FlowNode } from '@vue-flow/core';

/**
 * The preview's marks on the canvas (issue 20): the node the run waits on (or ended at) and the nodes it
 * passed through, as classes on Vue Flow's node wrappers (styled in PreviewPanel.vue), and the edges taken.
 */
export function markPreview<N extends FlowNode>(elements: { nodes: N[]; edges: FlowEdge[] }, current: string | null, path: readonly string[]) {
  if (current === null && path.length === 0) return elements;
  const visited = new Set(path);
  const taken = new Set(path.slice(1).map((to, i) => `${path[i]}>${to}`));
  return {
    nodes: elements.nodes.map((n) => (n.id === current ? { ...n, class: 'pv-current' } : visited.has(n.id) ? { ...n, class: 'pv-visited' } : n)),
    edges: elements.edges.map((e) => (taken.has(`${e.source}>${e.target}`) ? { ...e, animated: true, class: 'pv-taken' } : e)),
  };
}
