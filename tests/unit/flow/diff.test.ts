import { describe, expect, it } from 'vitest';
import { diffFlows, nodeMarks } from '../../../domain/flow/diff.js';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';
import { validateFlow } from '../../../domain/flow/validate.js';

type Raw = Record<string, unknown>;
const msg = (id: string, text: unknown, next?: string, position?: { x: number; y: number }): Raw =>
  ({ id, type: 'message', config: { text }, edges: next ? [{ on: 'next', to: next }] : [], ...(position ? { position } : {}) });
const fin = (id: string, text = 'Bye.'): Raw => ({ id, type: 'end', config: { text } });
const flow = (nodes: Raw[], extra: Raw = {}): Raw => ({ start: String(nodes[0].id), variables: [], nodes, ...extra });

describe('diffFlows', () => {
  it('finds nothing between a flow and itself, or when only positions moved', () => {
    const a = flow([msg('hi', 'Hello', 'bye', { x: 0, y: 0 }), fin('bye')]);
    const b = flow([msg('hi', 'Hello', 'bye', { x: 300, y: 120 }), fin('bye')]);
    expect(diffFlows(a, a).same).toBe(true);
    expect(diffFlows(a, b)).toMatchObject({ same: true, nodes: { added: [], removed: [], changed: [] }, settings: [] });
  });

  it('does not report a default the schema fills in: a published version (defaults stored) equals the draft it came from', () => {
    const draft = flow([{ id: 'menu', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] }, edges: [{ on: 'a', to: 'bye' }] }, fin('bye')]);
    const published = validateFlow(draft);
    expect(published.ok).toBe(true);
    if (!published.ok) return;
    expect(published.flow.settings.visitorTimeoutSec).toBe(600);
    expect(diffFlows(published.flow, draft).same).toBe(true);
    const seeded = validateFlow(DEFAULT_FLOW);
    expect(seeded.ok && diffFlows(DEFAULT_FLOW, seeded.flow).same).toBe(true);
  });

  it('lists nodes added, removed and changed, with the fields that changed', () => {
    const before = flow([msg('hi', 'Hello', 'old'), msg('old', 'Old news', 'bye'), fin('bye')]);
    const after = flow([msg('hi', { en: 'Hello', 'zh-CN': '你好' }, 'new'), msg('new', 'New news', 'bye'), fin('bye', 'See you.')]);
    const diff = diffFlows(before, after);
    expect(diff.nodes).toEqual({
      added: ['new'],
      removed: ['old'],
      changed: [{ id: 'hi', fields: ['config.text'] }, { id: 'bye', fields: ['config.text'] }],
    });
    expect(nodeMarks(diff)).toEqual({ new: 'added', old: 'removed', hi: 'changed', bye: 'changed' });
    expect(diff.same).toBe(false);
  });

  it('names the variant and the list item that changed', () => {
    const menu = (content: string, tail: Raw) => ({ id: 'm', type: 'menu', config: { header: { en: 'Pick', ...tail }, items: [{ id: 'a', content: 'A' }, { id: 'b', content }] }, edges: [] });
    const diff = diffFlows(flow([menu('B', { 'zh-CN': '选择' })]), flow([menu('Bee', { 'zh-CN': '请选择' })]));
    expect(diff.nodes.changed).toEqual([{ id: 'm', fields: ['config.header.zh-CN', 'config.items[1].content'] }]);
    // a list that grew is one change at the list
    const grown = { id: 'm', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] }, edges: [] };
    const longer = { ...grown, config: { header: 'Pick', items: [{ id: 'a', content: 'A' }, { id: 'c', content: 'C' }] } };
    expect(diffFlows(flow([grown]), flow([longer])).nodes.changed).toEqual([{ id: 'm', fields: ['config.items'] }]);
  });

  it('reports a node whose type changed', () => {
    const diff = diffFlows(flow([msg('x', 'Hi')]), flow([fin('x', 'Hi')]));
    expect(diff.nodes.changed).toEqual([{ id: 'x', type: { from: 'message', to: 'end' }, fields: [] }]);
  });

  it('lists edges added and removed between nodes on both sides (a retarget is one of each)', () => {
    const before = flow([msg('hi', 'Hello', 'a'), msg('a', 'A'), msg('b', 'B')]);
    const after = flow([msg('hi', 'Hello', 'b'), msg('a', 'A', 'b'), msg('b', 'B')]);
    expect(diffFlows(before, after).edges).toEqual({
      added: [{ from: 'hi', on: 'next', to: 'b' }, { from: 'a', on: 'next', to: 'b' }],
      removed: [{ from: 'hi', on: 'next', to: 'a' }],
    });
    // a removed node's edges go with it, unlisted
    expect(diffFlows(before, flow([msg('hi', 'Hello', 'a'), msg('a', 'A')])).edges).toEqual({ added: [], removed: [] });
  });

  it('lists changed settings by path, the start node and declared variables', () => {
    const before = flow([msg('hi', 'Hello'), fin('bye')], { variables: ['order'], settings: { visitorTimeoutSec: 300, rating: { text: 'Rate us' } } });
    const after = { ...flow([msg('hi', 'Hello'), fin('bye')], { variables: ['email'], settings: { rating: { text: 'Rate us!' } } }), start: 'bye' };
    const diff = diffFlows(before, after);
    expect(diff.settings).toEqual(['visitorTimeoutSec', 'rating.text']);
    expect(diff.start).toEqual({ from: 'hi', to: 'bye' });
    expect(diff.variables).toEqual({ added: ['email'], removed: ['order'] });
  });

  it('compares a draft that does not validate as written', () => {
    const broken = flow([msg('hi', '', 'nowhere'), { id: 'odd', type: 'teleport', config: { to: 'mars' } }]);
    const diff = diffFlows(flow([msg('hi', 'Hello')]), broken);
    expect(diff.nodes.added).toEqual(['odd']);
    expect(diff.nodes.changed).toEqual([{ id: 'hi', fields: ['config.text'] }]);
    expect(diff.edges.added).toEqual([{ from: 'hi', on: 'next', to: 'nowhere' }]);
    expect(diffFlows(null, 'not a flow').same).toBe(true);
  });
});
