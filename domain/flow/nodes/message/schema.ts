import type { SchemaKit } from '../kit.js';

/** A message node: says its text. Edges: next. */
export const messageSchema = ({ z, base }: SchemaKit) => z.object({ ...base, type: z.literal('message'), config: z.object({ text: z.string().min(1) }) });
