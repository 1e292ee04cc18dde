import { describe, expect, it } from 'vitest';
import { i18n, setLocale, t } from '../../../web/common/i18n/index.js';
import { loadScreenTexts } from '../../../web/common/i18n/screens/index.js';
import { screensEn } from '../../../web/common/i18n/screens/en.js';
import { screensZhCN } from '../../../web/common/i18n/screens/zh-CN.js';

type Tree = { [key: string]: string | Tree };
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1]))].sort().join();

/** Issue 21: the lazy screens' texts (wallboard, reports, service record) are a catalogue part of their own. */
describe('the lazy screens\' texts', () => {
  it('zh-CN has exactly the English keys, no empty text and the same {placeholders}', () => {
    const en = leaves(screensEn);
    const zh = leaves(screensZhCN);
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    expect([...zh].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
    expect([...en].filter(([k, v]) => placeholders(v) !== placeholders(zh.get(k) ?? '')).map(([k]) => k)).toEqual([]);
    // no key the main catalogue has already (a part adds, it never overrides)
    const main = leaves(i18n.global.getLocaleMessage<Tree>('en'));
    expect([...en.keys()].filter((k) => main.has(k))).toEqual([]);
  });

  it('are there once loaded, in the locale loaded before and in one chosen after', async () => {
    await setLocale('en', false);
    expect(t('admin.wallboard.heading')).toBe('admin.wallboard.heading');
    await loadScreenTexts();
    expect(t('admin.wallboard.heading')).toBe('Wallboard');
    expect(t('agent.record.open')).toBe('My service record'); // the main catalogue's text beside the part's
    await setLocale('zh-CN', false);
    expect(t('admin.wallboard.heading')).toBe('实时看板');
    expect(t('admin.wallboard.serviceLevelDetail', { answered: 3, counted: 4, n: 20 })).toBe('4 个中 3 个在 20 秒内应答');
    expect(t('agent.record.heading')).toBe('我的服务记录');
    await setLocale('en', false);
  });
});
