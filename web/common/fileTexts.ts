import { t } from './i18n/index.js';
import { en } from './i18n/locales/en.js';
import { texts } from './i18n/texts.js';

/** Files and images in the chat: the attach control, uploads, file messages (both apps). */
export const FILE_TEXTS = texts('common.files', en.common.files, {
  uploading: (name: string, percent: number) => t('common.files.uploading', { name, percent }),
  retrying: (name: string, seconds: number) => t('common.files.retrying', { name, seconds }),
  failed: (name: string, reason: string) => t('common.files.failed', { name, reason }),
  tooLarge: (max: string) => t('common.files.tooLarge', { max }),
  downloadNamed: (name: string) => t('common.files.downloadNamed', { name }),
  openImage: (name: string) => t('common.files.openImage', { name }),
  imageAlt: (name: string) => t('common.files.imageAlt', { name }),
});
