import type { NodeHandler } from '../types.js';

/** Ends the flow and always invites the visitor to rate the service. */
export const ratingNode: NodeHandler<'rating'> = {
  edges: [],
  enter(ctx) {
    const { text } = ctx.node.config;
    return { kind: 'end', text: text === undefined ? null : ctx.text(text), rating: true };
  },
};
