import type { NodeOfSchema, NodeProblem, NodeType } from '../types.js';
import { evaluateAll } from './evaluate.js';
import { conditionSchema } from './schema.js';

export type ConditionNode = NodeOfSchema<typeof conditionSchema>;

/** Follows `true` when every test holds, else `false`. */
export const conditionNode: NodeType<typeof conditionSchema> = {
  type: 'condition',
  schema: conditionSchema,
  edges: ['true', 'false'],
  texts: () => [],
  reads: (node) => node.config.all.flatMap((test) => (test.op === 'workingHours' ? [] : [test.variable])),
  check(node, env) {
    const problems: NodeProblem[] = [];
    for (const test of node.config.all) {
      const unusable = test.op === 'matches' ? env.patternProblem(test.value) : null;
      if (unusable !== null) problems.push({ code: 'invalid_regex', message: `condition pattern ${unusable}` });
    }
    return problems;
  },
  enter(ctx) {
    const holds = evaluateAll(ctx.node.config.all, { vars: ctx.state.vars, now: ctx.now, workingHours: ctx.settings.workingHours, patterns: ctx.patterns });
    return { kind: 'follow', on: holds ? 'true' : 'false' };
  },
};
