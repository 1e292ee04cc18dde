import type { NodeOfSchema, NodeType } from '../types.js';
import type { SchemaKit } from '../kit.js';
import { nodeTexts } from '../../text-fields.js';

/** An end node: ends the flow with an optional text. No edges. */
export const endSchema = ({ z, base, text }: SchemaKit) => z.object({ ...base, type: z.literal('end'), config: z.object({ text: text(z.string()).optional() }) });

export type EndNode = NodeOfSchema<typeof endSchema>;

/** Ends the flow; a rating invitation follows when the flow's rating setting is on. */
export const endNode: NodeType<typeof endSchema> = {
  type: 'end',
  schema: endSchema,
  edges: [],
  texts: nodeTexts,
  enter(ctx) {
    const { text } = ctx.node.config;
    return { kind: 'end', text: text === undefined ? null : ctx.text(text), rating: ctx.settings.rating.enabled };
  },
};
