import type { SchemaKit } from '../kit.js';

/** A menu node. Edges: one per item id, `fallback` after the retry limit. */
export const menuSchema = ({ z, base, menuItem }: SchemaKit) => z.object({
  ...base,
  type: z.literal('menu'),
  config: z.object({
    header: z.string(),
    items: z.array(menuItem.extend({ back: z.boolean().optional() })),
    tail: z.string().optional(),
    retryMessage: z.string().default('Please choose one of the options.'),
    maxRetries: z.number().int().min(0).max(10).default(2),
  }),
});
