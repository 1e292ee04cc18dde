import { i18n } from '../../common/i18n';

/** The global vue-i18n functions, for code outside components (labels.ts). */
export const t = (key: string, params?: Record<string, unknown>): string => (params ? i18n.global.t(key, params) : i18n.global.t(key));
export const te = (key: string): boolean => i18n.global.te(key) || i18n.global.te(key, 'en');
