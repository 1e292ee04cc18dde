import { describe, expect, it } from 'vitest';
import { localize } from '../../../domain/flow/localized-text.js';
import { localeFromAcceptLanguage, nearestSupportedLocale } from '../../../domain/locales.js';
import { handleVisitorInput, startFlow } from '../../../domain/flow/engine.js';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';
import { DEFAULT_TEXTS } from '../../../domain/flow/default-texts.js';
import { FlowSettingsSchema } from '../../../domain/flow/schema.js';
import { SETTINGS_TEXT_FIELDS, textsAt } from '../../../domain/flow/text-fields.js';
import { flowOf, lines, NOW, say, end } from './helpers.js';

/** Issue 19: one resolver picks a text's variant for the visitor's locale. */
describe('localize', () => {
  const hello = { en: 'Hello', 'zh-CN': '你好' };

  it('reads a plain string as itself in every locale (flows before issue 19 say what they said)', () => {
    for (const locale of [undefined, null, 'en', 'zh-CN', 'fr', 'xx-YY']) expect(localize('Hi ${visitorName}', locale, 'zh-CN')).toBe('Hi ${visitorName}');
  });

  it('takes the exact locale, in any case', () => {
    expect(localize(hello, 'zh-CN')).toBe('你好');
    expect(localize(hello, 'zh-cn')).toBe('你好');
    expect(localize(hello, 'en')).toBe('Hello');
  });

  it('then a variant of the same language', () => {
    expect(localize(hello, 'zh-TW')).toBe('你好');
    expect(localize(hello, 'zh')).toBe('你好');
    expect(localize(hello, 'en-GB')).toBe('Hello');
  });

  it("then the flow's default locale, then English, then the first variant", () => {
    expect(localize(hello, 'fr', 'zh-CN')).toBe('你好');
    expect(localize(hello, 'fr')).toBe('Hello');
    expect(localize(hello, null)).toBe('Hello');
    expect(localize({ 'zh-CN': '你好' }, 'fr')).toBe('你好');
    expect(localize(hello, 'fr', 'de')).toBe('Hello');
  });

  it('reads odd values as empty rather than throwing (workflow code must not fail on them)', () => {
    expect(localize(undefined, 'en')).toBe('');
    expect(localize({}, 'en')).toBe('');
    expect(localize({ en: 3 } as never, 'en')).toBe('');
  });
});

describe('supported locales', () => {
  it('maps tags to the nearest supported locale', () => {
    expect(nearestSupportedLocale('zh-CN')).toBe('zh-CN');
    expect(nearestSupportedLocale('ZH-hans-cn')).toBe('zh-CN');
    expect(nearestSupportedLocale('en-US')).toBe('en');
    expect(nearestSupportedLocale('fr')).toBeNull();
    expect(nearestSupportedLocale('')).toBeNull();
  });

  it('reads Accept-Language by weight, then order', () => {
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('fr-FR, en;q=0.5, zh;q=0.7')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('de, fr;q=0.9')).toBeNull();
    expect(localeFromAcceptLanguage('*')).toBeNull();
    expect(localeFromAcceptLanguage('zh;q=0, en')).toBe('en');
    expect(localeFromAcceptLanguage(';;;,q=,=')).toBeNull();
    expect(localeFromAcceptLanguage(undefined)).toBeNull();
  });
});

describe('flow texts in the engine', () => {
  const flow = flowOf([
    say('hi', { en: 'Hi ${visitorName}', 'zh-CN': '${visitorName}，您好' } as never, 'menu'),
    {
      id: 'menu', type: 'menu',
      config: { header: { en: 'Pick', 'zh-CN': '请选择' }, items: [{ id: 'a', content: { en: 'Sales', 'zh-CN': '销售' } }], retryMessage: { en: 'Again', 'zh-CN': '再选一次' } },
      edges: [{ on: 'a', to: 'dept' }],
    },
    { id: 'dept', type: 'form', config: { prompt: 'Which?', formType: 'options', variable: 'dept', options: [{ en: 'Billing', 'zh-CN': '账单' }, 'Other'] }, edges: [{ on: 'next', to: 'bye' }] },
    end('bye', 'Bye ${dept}'),
  ]);

  it('says every text in the visitor locale and matches answers against what the visitor saw', () => {
    const start = startFlow(flow, { visitorName: 'Ann' }, NOW, 'zh-CN');
    expect(lines(start)).toEqual(['Ann，您好', '[menu] 请选择 | 销售']);
    const retry = handleVisitorInput(flow, start.state, { text: 'Sales' }, NOW, 'zh-CN');
    expect(lines(retry)).toEqual(['[notice] 再选一次', '[menu] 请选择 | 销售']);
    const picked = handleVisitorInput(flow, retry.state, { text: '销售' }, NOW, 'zh-CN');
    expect(lines(picked)).toEqual(['[form] Which? | 账单 / Other']);
    // The variable keeps the flow's default-locale option, so conditions compare one value whatever the locale.
    const answered = handleVisitorInput(flow, picked.state, { text: '账单' }, NOW, 'zh-CN');
    expect(answered.state.vars.dept).toBe('Billing');
  });

  it('says English without a locale, and plain strings as written', () => {
    expect(lines(startFlow(flow, { visitorName: 'Ann' }, NOW))).toEqual(['Hi Ann', '[menu] Pick | Sales']);
    expect(lines(startFlow(flowOf([say('a', 'Plain ${visitorName}', 'b'), end('b')]), { visitorName: 'Ann' }, NOW, 'zh-CN'))).toEqual(['Plain Ann']);
  });

  it('speaks Chinese through the default flow for a zh-CN visitor', () => {
    const seeded = flowOf(DEFAULT_FLOW.nodes, { settings: DEFAULT_FLOW.settings });
    expect(lines(startFlow(seeded, { visitorName: 'Ann' }, NOW, 'zh-CN'))).toEqual([
      'Ann，您好，欢迎！很高兴收到您的咨询。',
      '[menu] 请问有什么可以帮您？ | 联系人工客服 / 服务时间 / 留言 | 请选择一个选项，或输入选项编号。',
    ]);
    expect(lines(startFlow(seeded, { visitorName: 'Ann' }, NOW, 'en'))[0]).toBe('Hi Ann, welcome! We are glad you reached out.');
  });

  it('has English and Chinese defaults for every settings text', () => {
    const settings = FlowSettingsSchema.parse({});
    const present = textsAt(settings, SETTINGS_TEXT_FIELDS.map((f) => f.path));
    // transferText, transferToTeamText and otherTeamName default in the machine (replay), not in the schema.
    expect(present.map((t) => t.at)).toEqual(['queueText', 'visitorReminderText', 'visitorTimeoutText', 'idleCloseText', 'closeText', 'flowErrorText', 'rating.text', 'rating.thanksText',
      'rating.resolvedText', 'rating.labels[0]', 'rating.labels[1]', 'rating.labels[2]', 'rating.labels[3]', 'rating.labels[4]', 'offline.nobodyOnlineText', 'offline.outsideHoursText', 'offline.waitLimitText', 'offline.leftText', 'offline.droppedText']);
    for (const { at, text } of present) expect({ at, locales: Object.keys(text as object) }).toEqual({ at, locales: ['en', 'zh-CN'] });
    for (const [key, text] of Object.entries(DEFAULT_TEXTS)) expect({ key, zh: (text['zh-CN'] as string) !== '' && (text['zh-CN'] as string) !== text.en }).toEqual({ key, zh: true });
  });
});
