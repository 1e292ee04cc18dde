import { MAX_VARIABLE_LENGTH, truncateText } from '../../limits.js';
import { readPath, toVariableText } from './dot-path.js';
import type { NodeOfSchema, NodeType } from '../types.js';
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

export type HttpNode = NodeOfSchema<typeof httpSchema>;

/**
 * Asks the workflow to call a web hook with the `send` variables and waits. On success the `map`
 * fields of the JSON answer become variables (cut at MAX_VARIABLE_LENGTH) and `next` is followed; on
 * error, `failure`.
 */
export const httpNode: NodeType<typeof httpSchema> = {
  type: 'http',
  schema: httpSchema,
  edges: ['next', 'failure'],
  texts: () => [],
  reads: (node) => node.config.send,
  sets: (node) => Object.keys(node.config.map),
  check(node, env) {
    const refusal = env.urlRefusal(node.config.url);
    return refusal === null ? [] : [{ code: 'url_not_allowed', message: `url ${node.config.url} cannot be called: ${refusal}` }];
  },
  enter(ctx) {
    const { config } = ctx.node;
    const payload: Record<string, string> = {};
    for (const name of config.send) payload[name] = Object.hasOwn(ctx.state.vars, name) ? (ctx.state.vars[name] ?? '') : '';
    ctx.emit({
      type: 'http',
      request: { nodeId: ctx.node.id, url: config.url, method: config.method, payload, timeoutMs: config.timeoutMs, maxAttempts: config.maxAttempts },
    });
    return { kind: 'wait', wait: 'http' };
  },
  httpResult(ctx, outcome) {
    if (!outcome.ok) return { kind: 'follow', on: 'failure' };
    for (const [name, path] of Object.entries(ctx.node.config.map)) {
      ctx.state.vars[name] = truncateText(toVariableText(readPath(outcome.body, path)), MAX_VARIABLE_LENGTH);
    }
    return { kind: 'follow', on: 'next' };
  },
};
