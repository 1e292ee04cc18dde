/**
 * The rating card's options (issue 19): Tencent's satisfaction menu and Easemob's five stars, lowest first.
 * Zod-free: the conversation machine (workflow sandbox) reads them.
 */
export const DEFAULT_RATING_LABELS = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'] as const;

/** What the invitation card offers; absent fields (flows parsed before issue 19) mean today's five stars. */
export interface RatingOptions {
  style?: 'stars' | 'numeric';
  scale?: number;
  labels?: string[];
  askResolved?: boolean;
  resolvedText?: string;
  comment?: boolean;
  agentServedOnly?: boolean;
}

/** The highest score a conversation's rating settings accept (5 before issue 19). */
export const ratingScaleOf = (r: RatingOptions): number => r.scale ?? 5;
