import { describe, expect, it } from 'vitest';
import { defaultLocaleOf, removeVariant, setVariant, textsOf, variantOf } from '../../../web/admin/components/flows/flowTexts.js';
import { nodeTypeOf } from '../../../domain/flow/nodes/registry.js';
import { FlowDefinitionSchema } from '../../../domain/flow/schema.js';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';

/** Issue 19: the flow editor's translation panel edits the draft's JSON through these. */
const draft = () => ({
  start: 'm',
  nodes: [
    { id: 'm', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: { en: 'A', 'zh-CN': '甲' } }], tail: 'Or type' }, edges: [] },
    { id: 'x', type: 'condition', config: { all: [{ op: 'workingHours' }] } },
  ],
  settings: { closeText: 'Bye', rating: { text: { en: 'Rate', 'zh-CN': '评分' } } },
});

describe('flow editor translations', () => {
  it('lists the texts of a node or of the settings with their paths', () => {
    expect(textsOf(draft(), { kind: 'node', id: 'm' }).map((t) => t.at)).toEqual(['config.header', 'config.items[0].content', 'config.tail']);
    expect(textsOf(draft(), { kind: 'node', id: 'x' })).toEqual([]);
    const settings = textsOf(draft(), { kind: 'settings' });
    // Every settings text: the draft's own, then Parley's built-in defaults for the others.
    expect(settings.filter((t) => !t.builtIn).map((t) => t.at)).toEqual(['closeText', 'rating.text']);
    expect(settings.map((t) => t.at)).toEqual([
      'queueText', 'visitorReminderText', 'visitorTimeoutText', 'idleCloseText', 'closeText', 'flowErrorText', 'rating.text', 'rating.thanksText',
      'rating.resolvedText', 'transferText', 'transferToTeamText', 'otherTeamName',
      'offline.nobodyOnlineText', 'offline.outsideHoursText', 'offline.waitLimitText', 'offline.leftText', 'offline.droppedText',
    ]);
    expect(settings.find((t) => t.at === 'queueText')?.text).toMatchObject({ 'zh-CN': '您目前排在第 ${QueuePosition} 位（前面还有 ${WaitNo} 人）。' });
    expect(textsOf(null, { kind: 'settings' })).toEqual([]);
    expect(textsOf({ nodes: 'odd' }, { kind: 'node', id: 'm' })).toEqual([]);
  });

  it('lists the same texts as the validator checks, for every node of the default flow', () => {
    const parsed = FlowDefinitionSchema.parse(DEFAULT_FLOW);
    for (const node of parsed.nodes) {
      const fromRegistry = nodeTypeOf(node.type)!.texts(node).map((t) => t.at);
      expect({ id: node.id, at: textsOf(DEFAULT_FLOW as never, { kind: 'node', id: node.id }).map((t) => t.at) }).toEqual({ id: node.id, at: fromRegistry });
    }
  });

  it('adds a translation (a plain string becomes the default variant), edits it and removes it', () => {
    const start = draft();
    const [header] = textsOf(start, { kind: 'node', id: 'm' });
    expect(variantOf(header.text, 'en', 'en')).toBe('Pick');
    expect(variantOf(header.text, 'zh-CN', 'en')).toBeNull();
    const added = setVariant(start, { kind: 'node', id: 'm' }, header, 'zh-CN', '')!;
    expect((added.nodes as never as Array<{ config: { header: unknown } }>)[0].config.header).toEqual({ en: 'Pick', 'zh-CN': '' });
    const [withZh] = textsOf(added, { kind: 'node', id: 'm' });
    const edited = setVariant(added, { kind: 'node', id: 'm' }, withZh, 'zh-CN', '请选择')!;
    expect((edited.nodes as never as Array<{ config: { header: unknown } }>)[0].config.header).toEqual({ en: 'Pick', 'zh-CN': '请选择' });
    const removed = removeVariant(edited, { kind: 'node', id: 'm' }, textsOf(edited, { kind: 'node', id: 'm' })[0], 'zh-CN')!;
    expect((removed.nodes as never as Array<{ config: { header: unknown } }>)[0].config.header).toBe('Pick');
    expect(start.nodes[0].config.header).toBe('Pick'); // the input is not changed
  });

  it('edits nested settings texts and honours the flow default locale', () => {
    const d = { ...draft(), settings: { ...draft().settings, defaultLocale: 'zh-CN' } };
    expect(defaultLocaleOf(d)).toBe('zh-CN');
    expect(defaultLocaleOf({ settings: { defaultLocale: 'fr' } })).toBe('en');
    const close = textsOf(d, { kind: 'settings' }).find((t) => t.at === 'closeText')!;
    expect(variantOf(close.text, 'zh-CN', 'zh-CN')).toBe('Bye');
    const next = setVariant(d, { kind: 'settings' }, close, 'en', 'Goodbye')!;
    expect((next.settings as Record<string, unknown>).closeText).toEqual({ 'zh-CN': 'Bye', en: 'Goodbye' });
    const rating = textsOf(d, { kind: 'settings' }).find((t) => t.at === 'rating.text')!;
    const changed = setVariant(d, { kind: 'settings' }, rating, 'zh-CN', '请评分')!;
    expect((changed.settings as { rating: { text: unknown } }).rating.text).toEqual({ en: 'Rate', 'zh-CN': '请评分' });
  });

  it('editing a built-in settings text writes it, with both defaults, into the draft (creating the groups it needs)', () => {
    const bare = { start: 'a', nodes: [] };
    const thanks = textsOf(bare, { kind: 'settings' }).find((t) => t.at === 'rating.thanksText')!;
    expect(thanks.builtIn).toBe(true);
    const next = setVariant(bare, { kind: 'settings' }, thanks, 'zh-CN', '谢谢！')!;
    expect(next.settings).toEqual({ rating: { thanksText: { en: 'Thank you for your feedback!', 'zh-CN': '谢谢！' } } });
    expect(textsOf(next, { kind: 'settings' }).find((t) => t.at === 'rating.thanksText')?.builtIn).toBeUndefined();
  });
});
