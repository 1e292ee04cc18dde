import type { NodeOfSchema, NodeType } from '../types.js';
import { messageSchema } from './schema.js';

export type MessageNode = NodeOfSchema<typeof messageSchema>;

/** Says its text, then follows `next`. */
export const messageNode: NodeType<typeof messageSchema> = {
  type: 'message',
  schema: messageSchema,
  edges: ['next'],
  texts: (node) => [node.config.text],
  enter(ctx) {
    ctx.say({ kind: 'text', text: ctx.text(ctx.node.config.text) });
    return { kind: 'follow', on: 'next' };
  },
};
