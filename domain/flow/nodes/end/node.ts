import type { NodeOfSchema, NodeType } from '../types.js';
import { endSchema } from './schema.js';

export type EndNode = NodeOfSchema<typeof endSchema>;

/** Ends the flow; a rating invitation follows when the flow's rating setting is on. */
export const endNode: NodeType<typeof endSchema> = {
  type: 'end',
  schema: endSchema,
  edges: [],
  texts: (node) => [node.config.text ?? ''],
  enter(ctx) {
    const { text } = ctx.node.config;
    return { kind: 'end', text: text === undefined ? null : ctx.text(text), rating: ctx.settings.rating.enabled };
  },
};
