/**
 * The rating card's options (issue 19): Tencent's satisfaction menu and Easemob's five stars, lowest first.
 * Zod-free: the conversation machine (workflow sandbox) reads them.
 */
import type { LocalizedText } from './localized-text.js';

export const DEFAULT_RATING_LABELS: ReadonlyArray<{ readonly en: string; readonly 'zh-CN': string }> = [
  { en: 'Very dissatisfied', 'zh-CN': '非常不满意' },
  { en: 'Dissatisfied', 'zh-CN': '不满意' },
  { en: 'Neutral', 'zh-CN': '一般' },
  { en: 'Satisfied', 'zh-CN': '满意' },
  { en: 'Very satisfied', 'zh-CN': '非常满意' },
];

/** What the invitation card offers; absent fields (flows parsed before issue 19) mean today's five stars. */
export interface RatingOptions {
  style?: 'stars' | 'numeric';
  scale?: number;
  labels?: LocalizedText[];
  askResolved?: boolean;
  resolvedText?: LocalizedText;
  comment?: boolean;
  agentServedOnly?: boolean;
}

/** The highest score a conversation's rating settings accept (5 before issue 19). */
export const ratingScaleOf = (r: RatingOptions): number => r.scale ?? 5;
