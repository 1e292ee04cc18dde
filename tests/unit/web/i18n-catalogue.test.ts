import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCALES, i18n, setLocale, t } from '../../../web/common/i18n/index.js';
import { en } from '../../../web/common/i18n/locales/en.js';
import { formatDuration } from '../../../web/common/format.js';
import { SUPPORTED_LOCALES } from '../../../domain/locales.js';

type Tree = { [key: string]: string | Tree };

/** Every leaf of a catalogue as `path → text`. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

/** The named parameters a text uses (`{name}`; a literal `{'@'}` is not one). */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1]))].sort();

/** Every catalogue, loaded (a locale other than English is loaded the first time it is chosen). */
const messages = i18n.global.messages.value as unknown as Record<string, Tree>;
beforeAll(async () => { for (const locale of LOCALES) await setLocale(locale, false); await setLocale('en', false); });
const english = leaves(en);

describe('the web apps’ message catalogues', () => {
  afterEach(async () => { await setLocale('en', false); });

  it('knows the locales the server accepts, and only those', () => {
    expect([...LOCALES].sort()).toEqual([...SUPPORTED_LOCALES].sort());
    expect(Object.keys(messages).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the English keys, no empty text and the same {placeholders}', (locale) => {
    const texts = leaves(messages[locale]);
    expect([...texts.keys()].filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !texts.has(k))).toEqual([]);
    expect([...texts].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
    const differing = [...english].filter(([k, v]) => placeholders(v).join() !== placeholders(texts.get(k) ?? '').join()).map(([k]) => k);
    expect(differing).toEqual([]);
  });

  it.each(LOCALES)('every %s text compiles and fills in its parameters', async (locale) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await setLocale(locale, false);
    for (const [key, text] of leaves(messages[locale])) {
      const params = Object.fromEntries(placeholders(text).map((p) => [p, `<${p}>`]));
      const out = text.includes('|') ? t(key, params, 2) : t(key, params);
      expect(out, key).not.toBe(key);
      expect(out, key).not.toMatch(/\{\s*\w+\s*\}/);
      for (const p of Object.keys(params)) if (p !== 'n' || !text.includes('|')) expect(out, `${key} uses {${p}}`).toContain(`<${p}>`);
    }
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    warn.mockRestore();
    error.mockRestore();
  });

  it('picks the plural form by the count in English and keeps one form in Chinese', async () => {
    expect(t('common.composer.newMessages', {}, 1)).toBe('1 new message ↓');
    expect(t('common.composer.newMessages', {}, 3)).toBe('3 new messages ↓');
    await setLocale('zh-CN', false);
    expect(t('common.composer.newMessages', {}, 3)).toBe('3 条新消息 ↓');
    expect(formatDuration(187)).toBe('3 分 07 秒');
    await setLocale('en', false);
    expect(formatDuration(187)).toBe('3m 07s');
  });
});
