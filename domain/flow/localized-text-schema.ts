import { z } from 'zod';
import { isSupportedLocale, SUPPORTED_LOCALES } from '../locales.js';
import type { LocalizedText } from './localized-text.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The schema of a LocalizedText (localized-text.ts): a plain string within `base`'s bounds (what every text
 * was before), or an object of supported locale → text, each variant within the same bounds. One schema
 * rather than a union, so a problem reads "config.text.fr: …" and not "invalid input". That the flow's
 * default locale has a variant, and that variants use the same placeholders, is checked by validate.ts.
 */
/** Every schema `localizedText` made: forms generated from the schemas (the flow designer) edit these as texts. */
export const LOCALIZED_TEXT_SCHEMAS = new WeakSet<z.ZodType>();

export function localizedText(base: z.ZodString) {
  const schema = z.custom<LocalizedText>(() => true).superRefine((value, ctx) => {
    const check = (text: unknown, path: string[]) => {
      const result = base.safeParse(text);
      for (const issue of result.success ? [] : result.error.issues) ctx.addIssue({ code: 'custom', path: [...path, ...issue.path.map(String)], message: issue.message });
    };
    if (typeof value === 'string') return check(value, []);
    if (!isRecord(value)) {
      ctx.addIssue({ code: 'custom', message: `expected a text: a string, or an object of locale → text (locales: ${SUPPORTED_LOCALES.join(', ')})` });
      return;
    }
    const keys = Object.keys(value);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: `a text with per-locale variants needs at least one variant (locales: ${SUPPORTED_LOCALES.join(', ')})` });
    for (const key of keys) {
      if (!isSupportedLocale(key)) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a supported locale; expected one of ${SUPPORTED_LOCALES.join(', ')}` });
      else check(value[key], [key]);
    }
  });
  LOCALIZED_TEXT_SCHEMAS.add(schema);
  return schema;
}
