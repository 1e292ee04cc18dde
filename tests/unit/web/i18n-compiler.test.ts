import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { messageCompiler } from '../../../web/common/i18n/compiler.js';
import { catalogues, sameTexts } from './lib/catalogue.js';

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
      const count = sameTexts(locale, ours.global.t, theirs.global.t, (a, b, what) => expect(a, what).toBe(b));
      expect(count).toBeGreaterThan(500);
    });
  }
});
