import type { NodeOfSchema, NodeType } from '../types.js';
import { ratingSchema } from './schema.js';

export type RatingNode = NodeOfSchema<typeof ratingSchema>;

/** Ends the flow and always invites the visitor to rate the service. */
export const ratingNode: NodeType<typeof ratingSchema> = {
  type: 'rating',
  schema: ratingSchema,
  edges: [],
  texts: (node) => [node.config.text ?? ''],
  enter(ctx) {
    const { text } = ctx.node.config;
    return { kind: 'end', text: text === undefined ? null : ctx.text(text), rating: true };
  },
};
