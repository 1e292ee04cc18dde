import { ApiError, type ErrorCode } from '../../client/errors';
import { currentLocale, t } from './i18n';
import { en } from './i18n/locales/en';

/** Every failed request (REST or socket ack) surfaces as an ApiError of the typed client (client/errors.ts). */
export { ApiError };
export type { ErrorCode };

type KnownCode = keyof typeof en.common.errors;
const isKnown = (code: string): code is KnownCode => Object.hasOwn(en.common.errors, code);

/**
 * What to tell the user about a failure, in their language. The API's texts are English and often more precise
 * (which field, which limit), so in English they are shown as they are; in another language the catalogue's
 * text for the error's code is. A code the catalogue does not know shows the server's text. `overrides` gives a
 * text for a code where the screen knows better (a 401 on the login form means wrong credentials).
 */
export function errorMessage(err: unknown, overrides: Partial<Record<KnownCode, string>> = {}): string {
  if (err instanceof ApiError) {
    const override = overrides[err.code as KnownCode];
    if (override !== undefined) return override;
    if (!isKnown(err.code)) return err.message || t('common.somethingWrong');
    return currentLocale() === 'en' && err.message ? err.message : t(`common.errors.${err.code}`);
  }
  if (err instanceof Error && err.message) return currentLocale() === 'en' ? err.message : t('common.somethingWrong');
  return t('common.somethingWrong');
}
