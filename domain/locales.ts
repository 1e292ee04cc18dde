import { z } from 'zod';

/** The languages the apps are translated into (web/common/i18n/locales/); the first is the default. */
export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const LocaleSchema = z.enum(SUPPORTED_LOCALES, {
  error: () => `Unsupported locale; use one of: ${SUPPORTED_LOCALES.join(', ')}`,
});

/** A staff member's chosen language for the workbench and the console; null until they choose one (the browser's then). */
export const LocalePreferenceSchema = z.object({ locale: LocaleSchema.nullable() }).strict();
export type LocalePreference = z.infer<typeof LocalePreferenceSchema>;
