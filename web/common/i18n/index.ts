import type { App } from 'vue';
import { createI18n, Translation } from 'vue-i18n';
import { en, type Catalogue } from './locales/en.js';
import { messageCompiler } from './compiler.js';
import type { SupportedLocale } from '../../../domain/locales.js';

/** Same list as the server's (domain/locales.ts, which validates it); the type ties the two without bundling zod. */
export const LOCALES = ['en', 'zh-CN'] as const satisfies readonly SupportedLocale[];
export type Locale = SupportedLocale;
const STORAGE_KEY = 'parley.locale';

/** The nearest supported locale to a BCP 47 tag (`zh`, `zh-Hans-CN`, `zh-TW` → zh-CN; anything else → en). */
export function supportedLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

/** The locale to start with: `?locale=`, then the one chosen before (this browser), then the browser's languages. */
export function initialLocale(): Locale {
  if (typeof window === 'undefined') return 'en';
  const fromQuery = supportedLocale(new URLSearchParams(window.location.search).get('locale'));
  if (fromQuery) return fromQuery;
  let stored: string | null = null;
  try { stored = window.localStorage.getItem(STORAGE_KEY); } catch { /* storage blocked (third-party iframe) */ }
  const fromStorage = supportedLocale(stored);
  if (fromStorage) return fromStorage;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const match = supportedLocale(tag);
    if (match) return match;
  }
  return 'en';
}

/**
 * English is in every bundle (it is the fallback); another locale's catalogue is its own chunk, loaded the first
 * time it is chosen (`setLocale`), so nobody downloads the languages they do not read.
 */
const LOADERS: Record<Exclude<Locale, 'en'>, () => Promise<Catalogue>> = {
  'zh-CN': async () => (await import('./locales/zh-CN.js')).zhCN,
};
const loaded = new Set<Locale>(['en']);
let started = false;

export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en } as Record<Locale, Catalogue>,
  missingWarn: false,
  fallbackWarn: false,
  messageCompiler,
});

/**
 * The plugin each app installs: the catalogue plus `<i18n-t>` (texts with markup inside), which the build does
 * not install globally (`__VUE_I18N_FULL_INSTALL__: false` keeps the other components out of the bundles).
 */
export const i18nPlugin = {
  install(app: App) {
    app.use(i18n);
    app.component('I18nT', Translation);
  },
};

/**
 * Issue 21: texts of screens that are their own lazy chunk (reports, wallboard, the agent's service record) are a
 * catalogue part loaded with the screen (`addLazyTexts`), not in every app's up-front bundle; merged into each
 * locale's catalogue now and whenever a locale is loaded later.
 */
export interface LazyTexts { en: object; load: Record<Exclude<Locale, 'en'>, () => Promise<object>> }
const lazyParts: LazyTexts[] = [];

/** Adds a lazy screen's texts (once per part); resolves when the loaded locales have them. */
export async function addLazyTexts(part: LazyTexts): Promise<void> {
  if (lazyParts.includes(part)) return;
  lazyParts.push(part);
  i18n.global.mergeLocaleMessage('en', part.en as Catalogue);
  for (const locale of loaded) if (locale !== 'en') i18n.global.mergeLocaleMessage(locale, await part.load[locale]() as Catalogue);
}

/** Loads a locale's catalogue if it is not loaded yet. */
async function loadCatalogue(locale: Locale): Promise<void> {
  if (loaded.has(locale) || locale === 'en') return;
  i18n.global.setLocaleMessage(locale, await LOADERS[locale]());
  for (const part of lazyParts) i18n.global.mergeLocaleMessage(locale, await part.load[locale]() as Catalogue);
  loaded.add(locale);
}

/**
 * Switches every mounted app's texts (once the locale's catalogue is loaded), remembers the choice in this
 * browser and sets `<html lang>`. Apps await it before mounting, so the first paint is in the right language.
 */
export async function setLocale(locale: Locale, remember = true): Promise<void> {
  await loadCatalogue(locale);
  i18n.global.locale.value = locale;
  started = true;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  if (remember) {
    try { window.localStorage.setItem(STORAGE_KEY, locale); } catch { /* storage blocked */ }
  }
}

/** The locale shown now (before the first `setLocale`: the one the app will start in). */
export function currentLocale(): Locale {
  return started ? i18n.global.locale.value : initialLocale();
}

type Named = Record<string, unknown>;
const globalT = i18n.global.t as unknown as (key: string, named: Named, plural?: number) => string;

/**
 * `t` for code outside templates (stores, scripts, labels): reads the current locale, so a computed or a render
 * that calls it follows a switch. `plural` picks the form (`'one | many'`); `{n}` is then set to it unless given.
 * In templates use `$t`.
 */
export function t(key: string, named: Named = {}, plural?: number): string {
  return plural === undefined ? globalT(key, named) : globalT(key, { n: plural, ...named }, plural);
}
