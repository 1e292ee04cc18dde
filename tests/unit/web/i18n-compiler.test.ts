import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { messageCompiler } from '../../../web/common/i18n/compiler.js';
import { en } from '../../../web/common/i18n/locales/en.js';
import { zhCN } from '../../../web/common/i18n/locales/zh-CN.js';

type Tree = { [key: string]: string | Tree };
const catalogues = { en, 'zh-CN': zhCN } as unknown as Record<string, Tree>;
const leaves = (tree: Tree, prefix = ''): Array<[string, string]> =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));

type Composer = { global: { locale: { value: string }; t: (key: string, named?: unknown, plural?: number) => string } };
// vue-i18n's typings infer every key path of the catalogues; the test reads it as the untyped composer it is.
const make = createI18n as unknown as (options: object) => Composer;

/**
 * The apps compile the catalogue with web/common/i18n/compiler.ts instead of vue-i18n's compiler (left out of the
 * bundles): every text of every locale, with parameters and each plural form, must come out the same.
 */
describe('the apps’ message compiler', () => {
  const options = { legacy: false, locale: 'en', fallbackLocale: 'en', messages: catalogues, missingWarn: false, fallbackWarn: false };
  const theirs = make(options);
  const ours = make({ ...options, messageCompiler });

  for (const locale of Object.keys(catalogues)) {
    it(`compiles every ${locale} text as vue-i18n does`, () => {
      theirs.global.locale.value = locale;
      ours.global.locale.value = locale;
      const all = leaves(catalogues[locale]);
      expect(all.length).toBeGreaterThan(500);
      for (const [key, message] of all) {
        const named: Record<string, unknown> = {};
        for (const m of message.matchAll(/\{\s*([A-Za-z_$][\w$.-]*)\s*\}/g)) named[m[1]] = `«${m[1]}»`;
        expect(ours.global.t(key, named), key).toBe(theirs.global.t(key, named));
        if (message.includes('|')) {
          for (const n of [0, 1, 2, 7]) expect(ours.global.t(key, { n, ...named }, n), `${key} (${n})`).toBe(theirs.global.t(key, { n, ...named }, n));
        }
      }
    });
  }
});
