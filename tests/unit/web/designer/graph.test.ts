import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../../domain/flow/default-flow.js';
import {
  addNode, behaviourKey, connect, disconnect, estimatedSize, outputsOf, pasteNodes, removeNodes, renameNode, setPositions, toDraft, toFlowElements,
} from '../../../../web/admin/designer/graph.js';
import { autoLayout, needsLayout } from '../../../../web/admin/designer/layout.js';
import { History } from '../../../../web/admin/designer/history.js';
import { completePlaceholder, matchingSuggestions, openPlaceholder, variableSuggestions } from '../../../../web/admin/designer/variables.js';

const empty = toDraft({});
const menu = { id: 'menu', type: 'menu', config: { header: 'Pick', items: [{ id: 'sales', content: 'Sales' }, { id: 'help', content: 'Help' }] }, edges: [] };
const msg = (id: string) => ({ id, type: 'message', config: { text: `I am ${id}` }, edges: [] });

describe('designer graph mapping', () => {
  it('outputs come from the registry: menu items (with their text), then the fixed ones; a stray edge shows too', () => {
    expect(outputsOf(menu)).toEqual([{ on: 'sales', itemText: 'Sales' }, { on: 'help', itemText: 'Help' }, { on: 'fallback' }]);
    expect(outputsOf({ ...msg('a'), edges: [{ on: 'oops', to: 'b' }] })).toEqual([{ on: 'next' }, { on: 'oops', stray: true }]);
    expect(outputsOf({ id: 'x', type: 'http', config: {}, edges: [] }).map((o) => o.on)).toEqual(['next', 'failure']);
    expect(outputsOf({ id: 'x', type: 'handoff', config: {}, edges: [] }).map((o) => o.on)).toEqual(['failed']);
  });

  it('maps a draft to Vue Flow nodes and edges, with problems and unconnected outputs on the nodes', () => {
    let d = addNode(empty, { ...menu, position: { x: 0, y: 0 } });
    expect(d.start).toBe('menu'); // the first node starts the flow
    d = addNode(d, msg('a'));
    d = connect(d, 'menu', 'sales', 'a');
    const { nodes, edges } = toFlowElements(d, [{ nodeId: 'a', code: 'unreachable_node', message: 'x' }]);
    expect(edges).toEqual([{ id: 'menu→sales', source: 'menu', target: 'a', sourceHandle: 'sales', targetHandle: 'in' }]);
    expect(nodes[0]?.data?.isStart).toBe(true);
    expect(nodes[0]?.data?.unconnected).toEqual(['help', 'fallback']);
    expect(nodes[1]?.data?.unreachable).toBe(true);
  });

  it('an output has one edge: connecting again replaces it; disconnect and remove clean up edges and the start', () => {
    let d = addNode(addNode(addNode(empty, menu), msg('a')), msg('b'));
    d = connect(connect(d, 'menu', 'sales', 'a'), 'menu', 'sales', 'b');
    expect(d.nodes[0]?.edges).toEqual([{ on: 'sales', to: 'b' }]);
    expect(disconnect(d, 'menu', 'sales').nodes[0]?.edges).toEqual([]);
    const removed = removeNodes(d, ['menu', 'b']);
    expect(removed.start).toBe('a');
    expect(removed.nodes.map((n) => n.id)).toEqual(['a']);
    expect(removeNodes(connect(d, 'a', 'next', 'b'), ['b']).nodes.find((n) => n.id === 'a')?.edges).toEqual([]);
  });

  it('renames a node with the edges into it and the start, refusing a taken id', () => {
    const d = connect(addNode(addNode(empty, menu), msg('a')), 'menu', 'help', 'a');
    const renamed = renameNode(d, 'a', 'answer')!;
    expect(renamed.nodes[0]?.edges).toEqual([{ on: 'help', to: 'answer' }]);
    expect(renameNode(renamed, 'menu', 'top')?.start).toBe('top');
    expect(renameNode(d, 'a', 'menu')).toBeNull();
  });

  it('pastes copies with fresh ids, keeping only the edges between the copied nodes', () => {
    const d = connect(connect(addNode(addNode(addNode(empty, { ...menu, position: { x: 10, y: 10 } }), msg('a')), msg('b')), 'menu', 'sales', 'a'), 'a', 'next', 'b');
    const copied = d.nodes.filter((n) => n.id === 'menu' || n.id === 'a');
    const { draft, ids } = pasteNodes(d, copied);
    expect(ids).toEqual(['menu-1', 'message-1']);
    expect(draft.nodes.find((n) => n.id === 'menu-1')).toMatchObject({ position: { x: 50, y: 50 }, edges: [{ on: 'sales', to: 'message-1' }] });
    expect(draft.nodes.find((n) => n.id === 'message-1')?.edges).toEqual([]); // its edge led outside the copy
  });

  it('positions are rounded and saved in the draft; a draft differing only in positions publishes nothing new', () => {
    const d = setPositions(addNode(empty, msg('a')), { a: { x: 10.6, y: -3.2 } });
    expect(d.nodes[0]?.position).toEqual({ x: 11, y: -3 });
    expect(behaviourKey(d)).toBe(behaviourKey(setPositions(d, { a: { x: 500, y: 500 } })));
    expect(behaviourKey(d)).not.toBe(behaviourKey({ ...d, start: 'b' }));
  });

  it('lays out a flow without positions left to right, with no two nodes overlapping', async () => {
    const raw = structuredClone(DEFAULT_FLOW) as unknown as { nodes: Array<{ position?: unknown }> };
    for (const node of raw.nodes) delete node.position;
    const draft = toDraft(raw);
    expect(needsLayout(draft)).toBe(true);
    const positions = await autoLayout(draft);
    expect(Object.keys(positions).sort()).toEqual(draft.nodes.map((n) => n.id).sort());
    const start = positions[draft.start];
    for (const [id, p] of Object.entries(positions)) if (id !== draft.start) expect(p.x).toBeGreaterThanOrEqual(start.x);
    const boxes = draft.nodes.map((n) => ({ ...positions[n.id], w: estimatedSize(n).width, h: estimatedSize(n).height }));
    for (const a of boxes) for (const b of boxes) {
      if (a === b) continue;
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      expect(overlap).toBe(false);
    }
  });
});

describe('designer history and variables', () => {
  it('undo and redo walk the snapshots; a new edit drops the redo branch', () => {
    const h = new History<number>();
    h.record(1);
    h.record(2);
    expect(h.undo(3)).toBe(2);
    expect(h.undo(2)).toBe(1);
    expect(h.redo(1)).toBe(2);
    h.record(2);
    expect(h.canRedo).toBe(false);
  });

  it('suggests system, declared and node-set variables for ${…}', () => {
    const d = toDraft({ variables: ['orderId'], nodes: [{ id: 'ask', type: 'form', config: { prompt: 'Email?', formType: 'text', variable: 'email' }, edges: [] }] });
    const all = variableSuggestions(d, ['QueuePosition', 'WaitNo', 'agentName']);
    expect(all.map((s) => s.name)).toEqual(['QueuePosition', 'WaitNo', 'agentName', 'orderId', 'email']);
    expect(all.find((s) => s.name === 'email')).toMatchObject({ source: 'node', nodeId: 'ask' });
    expect(matchingSuggestions(all, 'w').map((s) => s.name)).toEqual(['WaitNo']);
    expect(openPlaceholder('Hello ${ag', 10)).toEqual({ start: 6, prefix: 'ag' });
    expect(openPlaceholder('Hello ${agentName} x', 20)).toBeNull();
    expect(completePlaceholder('Hi ${ag and more', 7, 'agentName')).toEqual({ text: 'Hi ${agentName} and more', caret: 15 });
  });
});
