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
