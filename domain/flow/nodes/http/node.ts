import { MAX_VARIABLE_LENGTH, truncateText } from '../../limits.js';
import { readPath, toVariableText } from '../../dot-path.js';
import type { NodeHandler } from '../types.js';

/**
 * Asks the workflow to call a web hook with the `send` variables and waits. On success the `map`
 * fields of the JSON answer become variables (cut at MAX_VARIABLE_LENGTH) and `next` is followed; on
 * error, `failure`.
 */
export const httpNode: NodeHandler<'http'> = {
  edges: ['next', 'failure'],
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
