import type { SchemaKit } from '../kit.js';

/** An end node: ends the flow with an optional text. No edges. */
export const endSchema = ({ z, base }: SchemaKit) => z.object({ ...base, type: z.literal('end'), config: z.object({ text: z.string().optional() }) });
