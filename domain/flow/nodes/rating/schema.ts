import type { SchemaKit } from '../kit.js';

/** A rating node: ends the flow with an optional text and always invites a rating. No edges. */
export const ratingSchema = ({ z, base }: SchemaKit) => z.object({ ...base, type: z.literal('rating'), config: z.object({ text: z.string().optional() }) });
