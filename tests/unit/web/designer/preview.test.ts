import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../../domain/flow/default-flow.js';
import { FlowDefinitionSchema } from '../../../../domain/flow/schema.js';
import { FlowSimulation } from '../../../../domain/flow/simulation.js';
import { toDraft, toFlowElements } from '../../../../web/admin/designer/graph.js';
import { markPreview } from '../../../../web/admin/designer/preview/marks.js';
import { previewMessages } from '../../../../web/admin/designer/preview/usePreview.js';

/** Issue 20: the preview's transcript (as the visitor's renderers take it) and its marks on the canvas. */
describe('the designer\'s preview', () => {
  const run = () => {
    const sim = new FlowSimulation(FlowDefinitionSchema.parse(structuredClone(DEFAULT_FLOW)), { vars: { visitorName: 'Ada' }, locale: 'en', now: () => new Date('2026-01-07T10:00:00Z') });
    const at = '2026-01-07T10:00:00.000Z';
    return [{ ...sim.start(), at }, { ...sim.send({ kind: 'answer', text: 'Talk to an agent', choiceId: 'agent' }), at }];
  };

  it('turns the steps into chat messages: the bot\'s, the visitor\'s answers and the system notices, in order', () => {
    const messages = previewMessages(run());
    expect(messages.map((m) => [m.sender, m.body.kind])).toEqual([['bot', 'text'], ['bot', 'menu'], ['visitor', 'text'], ['system', 'notice']]);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(new Set(messages.map((m) => m.id)).size).toBe(4);
  });

  it('marks the current node, the nodes passed and the edges taken, and clears marks it no longer gives', () => {
    const elements = toFlowElements(toDraft(structuredClone(DEFAULT_FLOW)));
    const path = run().flatMap((s) => s.path);
    const marked = markPreview(elements, 'handoff', path);
    const classOf = (id: string) => marked.nodes.find((n) => n.id === id)?.class;
    expect(classOf('handoff')).toBe('pv-current');
    expect(classOf('main-menu')).toBe('pv-visited');
    expect(classOf('goodbye')).toBe('');
    // edges between consecutive nodes of the path (two outputs into the same node are both marked)
    expect(marked.edges.filter((e) => e.animated).map((e) => e.id)).toEqual(['welcome→next', 'hours-check→true', 'main-menu→agent', 'main-menu→fallback']);
    const cleared = markPreview(marked, null, []);
    expect(cleared.nodes.every((n) => n.class === '')).toBe(true);
    expect(cleared.edges.some((e) => e.animated)).toBe(false);
  });
});
