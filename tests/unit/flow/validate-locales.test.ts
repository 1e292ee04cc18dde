import { describe, expect, it } from 'vitest';
import { validateFlow, type FlowProblem } from '../../../domain/flow/validate.js';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';

/** Issue 19: texts with per-locale variants are checked like plain ones, and against each other. */
type Raw = Record<string, unknown>;
const msg = (id: string, text: unknown, next?: string): Raw => ({ id, type: 'message', config: { text }, edges: next ? [{ on: 'next', to: next }] : [] });
const fin = (id: string): Raw => ({ id, type: 'end', config: {} });

function problems(input: unknown): FlowProblem[] {
  const result = validateFlow(input);
  return result.ok ? [] : result.problems;
}

describe('validateFlow: per-locale texts', () => {
  it('accepts the default flow, with its Chinese variants', () => {
    expect(problems(DEFAULT_FLOW)).toEqual([]);
  });

  it('accepts plain strings and variants side by side', () => {
    const result = validateFlow({
      start: 'a',
      nodes: [msg('a', { en: 'Hi ${visitorName}', 'zh-CN': '${visitorName}，您好' }, 'b'), msg('b', 'Plain', 'c'), fin('c')],
      settings: { closeText: { en: 'Bye', 'zh-CN': '再见' }, queueText: 'No. ${QueuePosition}', transferToTeamText: { en: 'To ${teamName}', 'zh-CN': '转到 ${teamName}' } },
    });
    expect(result.ok).toBe(true);
  });

  it('refuses a locale Parley does not support, naming the text and the locales it knows', () => {
    expect(problems({ start: 'a', nodes: [msg('a', { en: 'Hi', fr: 'Salut' }, 'b'), fin('b')] })).toEqual([
      { nodeId: 'a', code: 'schema_error', message: 'config.text.fr: "fr" is not a supported locale; expected one of en, zh-CN' },
    ]);
    expect(problems({ start: 'a', nodes: [msg('a', 'Hi', 'b'), fin('b')], settings: { rating: { text: { 'zh-cn': '评分' , en: 'Rate' } } } })).toEqual([
      { nodeId: null, code: 'schema_error', message: 'settings.rating.text.zh-cn: "zh-cn" is not a supported locale; expected one of en, zh-CN' },
    ]);
  });

  it('checks each variant against the text bounds, and refuses an empty set of variants or another type', () => {
    const found = problems({
      start: 'a',
      nodes: [msg('a', { en: 'Hi', 'zh-CN': '' }, 'b'), msg('b', {}, 'c'), msg('c', 7, 'd'), fin('d')],
    });
    expect(found.map((p) => `${p.nodeId}: ${p.message}`)).toEqual([
      expect.stringMatching(/^a: config\.text\.zh-CN: Too small/),
      expect.stringMatching(/^b: config\.text: a text with per-locale variants needs at least one variant/),
      expect.stringMatching(/^c: config\.text: expected a text: a string, or an object of locale → text/),
    ]);
  });

  it("requires the flow's default locale in every text with variants", () => {
    expect(problems({ start: 'a', nodes: [msg('a', { 'zh-CN': '您好' }, 'b'), fin('b')] })).toEqual([
      { nodeId: 'a', code: 'missing_default_locale', message: 'config.text: has no "en" variant; the flow\'s default locale is the fallback of every other locale' },
    ]);
    // With Chinese as the flow's default, a Chinese-only text is complete and an English-only one is not.
    expect(problems({ start: 'a', nodes: [msg('a', { 'zh-CN': '您好' }, 'b'), fin('b')], settings: { defaultLocale: 'zh-CN' } })).toEqual([]);
    expect(problems({ start: 'a', nodes: [msg('a', 'x', 'b'), fin('b')], settings: { defaultLocale: 'zh-CN', closeText: { en: 'Bye' } } })).toEqual([
      { nodeId: null, code: 'missing_default_locale', message: 'settings.closeText: has no "zh-CN" variant; the flow\'s default locale is the fallback of every other locale' },
    ]);
    expect(problems({ start: 'a', nodes: [msg('a', 'x', 'b'), fin('b')], settings: { defaultLocale: 'fr' } }).map((p) => p.message)).toEqual([
      'settings.defaultLocale: must be one of en, zh-CN',
    ]);
  });

  it('requires every variant to use the placeholders of the default one', () => {
    const found = problems({
      start: 'menu',
      nodes: [
        {
          id: 'menu', type: 'menu',
          config: { header: { en: 'Hi ${visitorName}', 'zh-CN': '您好' }, items: [{ id: 'x', content: { en: 'X', 'zh-CN': 'X ${channel}' } }] },
          edges: [{ on: 'x', to: 'bye' }],
        },
        fin('bye'),
      ],
      settings: { queueText: { en: 'No. ${QueuePosition}', 'zh-CN': '第 ${WaitNo} 位 ${nope}' } },
    });
    expect(found).toEqual([
      { nodeId: 'menu', code: 'placeholder_mismatch', message: 'config.header.zh-CN: the "zh-CN" variant lacks ${visitorName}' },
      { nodeId: 'menu', code: 'placeholder_mismatch', message: 'config.items[0].content.zh-CN: the "zh-CN" variant uses ${channel}, which the "en" text does not' },
      {
        nodeId: null, code: 'placeholder_mismatch',
        message: 'settings.queueText.zh-CN: the "zh-CN" variant lacks ${QueuePosition} and uses ${WaitNo}, ${nope}, which the "en" text does not',
      },
      { nodeId: null, code: 'undeclared_variable', message: 'variable "nope" is not declared, not builtin and not set by any form or http node' },
    ]);
  });

  it('checks undeclared variables in every variant, including form rules and options', () => {
    const found = problems({
      start: 'f',
      nodes: [
        {
          id: 'f', type: 'form',
          config: { prompt: 'Mail?', formType: 'text', variable: 'mail', rules: [{ type: 'email', message: { en: 'Bad ${mail}', 'zh-CN': '错误 ${mail} ${oops}' } }] },
          edges: [{ on: 'next', to: 'bye' }],
        },
        fin('bye'),
      ],
    });
    expect(found.map((p) => p.code)).toEqual(['undeclared_variable', 'placeholder_mismatch']);
    expect(found[0].message).toContain('"oops"');
    expect(found[1].message).toBe('config.rules[0].message.zh-CN: the "zh-CN" variant uses ${oops}, which the "en" text does not');
  });
});
