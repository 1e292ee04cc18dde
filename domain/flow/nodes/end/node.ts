import type { NodeHandler } from '../types.js';

/** Ends the flow; a rating invitation follows when the flow's rating setting is on. */
export const endNode: NodeHandler<'end'> = {
  edges: [],
  enter(ctx) {
    const { text } = ctx.node.config;
    return { kind: 'end', text: text === undefined ? null : ctx.text(text), rating: ctx.flow.settings.rating.enabled };
  },
};
