import { addLazyTexts, type LazyTexts } from '../index.js';
import { screensEn } from './en.js';

const part: LazyTexts = { en: screensEn, load: { 'zh-CN': async () => (await import('./zh-CN.js')).screensZhCN } };

/** Makes the lazy screens' texts available (call before the screen renders; a route's loader awaits it). */
export const loadScreenTexts = () => addLazyTexts(part);
