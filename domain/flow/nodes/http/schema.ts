import type { SchemaKit } from '../kit.js';

/** An http node: calls a web hook. Edges: next, failure. */
export const httpSchema = ({ z, base, variableName }: SchemaKit) => z.object({
  ...base,
  type: z.literal('http'),
  config: z.object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    method: z.enum(['GET', 'POST']).default('POST'),
    /** Variables sent in the JSON body (POST) or query (GET). */
    send: z.array(variableName).default([]),
    /** variable name -> dot path into the JSON answer (`a.b.0.c`; empty path = the whole answer) */
    map: z.record(variableName, z.string()).default({}),
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    maxAttempts: z.number().int().min(1).max(10).default(3),
  }),
});
