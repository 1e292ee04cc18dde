import type { NodeOfSchema, NodeProblem, NodeType } from '../types.js';
import { evaluateAll } from './evaluate.js';
import type { SchemaKit } from '../kit.js';

/** A condition node: every test must hold. Edges: true, false. */
export const conditionSchema = ({ z, base, variableName }: SchemaKit) => {
  const test = z.discriminatedUnion('op', [
    z.object({ op: z.enum(['equals', 'notEquals', 'contains', 'matches']), variable: variableName, value: z.string() }),
    z.object({ op: z.enum(['gt', 'gte', 'lt', 'lte']), variable: variableName, value: z.number() }),
    z.object({ op: z.literal('workingHours') }),
  ]);
  return z.object({ ...base, type: z.literal('condition'), config: z.object({ all: z.array(test).min(1) }) });
};

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
