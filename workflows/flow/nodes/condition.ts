import { evaluateAll } from '../conditions.js';
import type { NodeHandler } from './types.js';

/** Follows `true` when every test holds, else `false`. */
export const conditionNode: NodeHandler<'condition'> = {
  edges: ['true', 'false'],
  enter(ctx) {
    const holds = evaluateAll(ctx.node.config.all,
        { vars: ctx.state.vars, now: ctx.now, workingHours: ctx.flow.settings.workingHours, patterns: ctx.patterns });
    return { kind: 'follow', on: holds ? 'true' : 'false' };
  },
};
