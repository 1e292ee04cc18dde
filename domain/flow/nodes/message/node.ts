import type { NodeOfSchema, NodeType } from '../types.js';
import type { SchemaKit } from '../kit.js';
import { nodeTexts } from '../../text-fields.js';

/** A message node: says its text. Edges: next. */
export const messageSchema = ({ z, base, text }: SchemaKit) => z.object({ ...base, type: z.literal('message'), config: z.object({ text: text(z.string().min(1)) }) });

export type MessageNode = NodeOfSchema<typeof messageSchema>;

/** Says its text, then follows `next`. */
export const messageNode: NodeType<typeof messageSchema> = {
  type: 'message',
  schema: messageSchema,
  edges: ['next'],
  texts: nodeTexts,
  enter(ctx) {
    ctx.say({ kind: 'text', text: ctx.text(ctx.node.config.text) });
    return { kind: 'follow', on: 'next' };
  },
};
