import { describe, expect, it } from 'vitest';
import { createI18n as createVueI18n } from 'vue-i18n';
import { createI18n as createLite } from '../../../web/embed/vue-i18n-lite.js';
import { en } from '../../../web/common/i18n/locales/en.js';
import { catalogues, sameTexts } from './lib/catalogue.js';


/**
 * The widget's frame formats the catalogue with web/embed/vue-i18n-lite.ts instead of vue-i18n (to fit its 80 kB):
 * every text of every locale must come out exactly as vue-i18n makes it, with parameters and each plural form.
 */
describe('the frame’s message formatter', () => {
  const messages = catalogues as never;
  // vue-i18n's typings infer every key path of the catalogues; the test reads it as the untyped composer it is.
  const createReal = createVueI18n as unknown as (options: object) => { global: { locale: { value: string }; t: unknown } };
  const real = createReal({ legacy: false, locale: 'en', fallbackLocale: 'en', messages, missingWarn: false, fallbackWarn: false });
  const lite = createLite({ locale: 'en', fallbackLocale: 'en', messages });
  const realT = real.global.t as (key: string, named?: unknown, plural?: number) => string;

  for (const locale of Object.keys(catalogues)) {
    it(`formats every ${locale} text as vue-i18n does`, () => {
      real.global.locale.value = locale;
      lite.global.locale.value = locale;
      const count = sameTexts(locale, lite.global.t, realT, (a, b, what) => expect(a, what).toBe(b));
      expect(count).toBeGreaterThan(500);
    });
  }

  it('falls back to English for a text a locale lacks, and shows the key of an unknown one', () => {
    lite.global.setLocaleMessage('zh-CN', { common: {} });
    lite.global.locale.value = 'zh-CN';
    expect(lite.global.t('common.somethingWrong')).toBe(en.common.somethingWrong);
    expect(lite.global.t('common.noSuchText')).toBe('common.noSuchText');
  });
});
