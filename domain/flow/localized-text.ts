/**
 * A text the visitor reads, as an admin writes it in a flow (issue 19): a plain string, the same in every
 * locale (what every flow held before), or one variant per locale, e.g. `{ "en": "Hello", "zh-CN": "你好" }`.
 * Zod-free and import-free: the engine and the conversation machine (workflow code) resolve texts with it.
 * The schema is `localizedText` in nodes/kit.ts; the locale list is domain/locales.ts.
 */
export type LocalizedText = string | { readonly [locale: string]: string };

/** The locale a text falls back to last, and a flow's default locale when it names none. */
export const FALLBACK_LOCALE = 'en';

const languageOf = (tag: string): string => tag.split(/[-_]/)[0]?.toLowerCase() ?? '';

/**
 * The variant of `text` for `locale`: the exact locale (any case), else a variant of the same language, else
 * the flow's default locale, else English, else the first variant. A plain string is itself in every locale.
 * Pure and total (a malformed value reads as ''), so a replayed conversation resolves the same way.
 */
export function localize(text: LocalizedText | null | undefined, locale?: string | null, defaultLocale?: string | null): string {
  if (typeof text === 'string') return text;
  if (text === null || typeof text !== 'object') return '';
  const variants = Object.entries(text).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (variants.length === 0) return '';
  const exact = (tag: string | null | undefined) => (tag ? variants.find(([key]) => key.toLowerCase() === tag.toLowerCase())?.[1] : undefined);
  const sameLanguage = locale ? variants.find(([key]) => languageOf(key) === languageOf(locale))?.[1] : undefined;
  return exact(locale) ?? sameLanguage ?? exact(defaultLocale) ?? exact(FALLBACK_LOCALE) ?? variants[0][1];
}

/** Every variant of a text, as `[locale, text]` (a plain string is one variant, locale null). */
export function variantsOf(text: LocalizedText | null | undefined): Array<[string | null, string]> {
  if (typeof text === 'string') return [[null, text]];
  if (text === null || typeof text !== 'object') return [];
  return Object.entries(text).filter((e): e is [string, string] => typeof e[1] === 'string');
}
