/**
 * The locales Parley speaks (issue 19): the one list for flow texts, the API's `locale` fields and the
 * apps' catalogues. Zod-free and import-free, so workflow code and the browser can load it.
 */
export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export function isSupportedLocale(tag: unknown): tag is SupportedLocale {
  return typeof tag === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(tag);
}

/** The language part of a BCP 47 tag, lower case (`zh-Hans-CN` → `zh`). */
export const languageOf = (tag: string): string => tag.split(/[-_]/)[0]?.toLowerCase() ?? '';

/** The supported locale nearest to a tag: the same locale (any case), else the first of the same language; else null. */
export function nearestSupportedLocale(tag: string | null | undefined): SupportedLocale | null {
  if (!tag) return null;
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const language = languageOf(tag);
  return SUPPORTED_LOCALES.find((l) => languageOf(l) === language) ?? null;
}

/**
 * The best supported locale an `Accept-Language` header asks for (by its q-values, then order), or null
 * when it names none of them. Malformed parts are skipped.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): SupportedLocale | null {
  if (!header) return null;
  const wanted = header.slice(0, 1000).split(',').flatMap((part, index) => {
    const [tag, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    return tag && tag !== '*' && Number.isFinite(weight) && weight > 0 ? [{ tag: tag.trim(), weight, index }] : [];
  });
  wanted.sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of wanted) {
    const locale = nearestSupportedLocale(tag);
    if (locale) return locale;
  }
  return null;
}
