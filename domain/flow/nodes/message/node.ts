import type { NodeHandler } from '../types.js';

/** Says its text, then follows `next`. */
export const messageNode: NodeHandler<'message'> = {
  edges: ['next'],
  enter(ctx) {
    ctx.say({ kind: 'text', text: ctx.text(ctx.node.config.text) });
    return { kind: 'follow', on: 'next' };
  },
};
