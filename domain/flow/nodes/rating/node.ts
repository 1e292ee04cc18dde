import type { NodeOfSchema, NodeType } from '../types.js';
import type { SchemaKit } from '../kit.js';
import { nodeTexts } from '../../text-fields.js';

/** A rating node: ends the flow with an optional text and always invites a rating. No edges. */
export const ratingSchema = ({ z, base, text }: SchemaKit) => z.object({ ...base, type: z.literal('rating'), config: z.object({ text: text(z.string()).optional() }) });

export type RatingNode = NodeOfSchema<typeof ratingSchema>;

/** Ends the flow and always invites the visitor to rate the service. */
export const ratingNode: NodeType<typeof ratingSchema> = {
  type: 'rating',
  schema: ratingSchema,
  edges: [],
  texts: nodeTexts,
  enter(ctx) {
    const { text } = ctx.node.config;
    return { kind: 'end', text: text === undefined ? null : ctx.text(text), rating: true };
  },
};
