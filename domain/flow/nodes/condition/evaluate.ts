import { parseNumber } from '../../answers.js';
import type { WorkingHours } from '../../settings.js';
import type { NodeOfSchema } from '../types.js';
import type { conditionSchema } from './node.js';
import type { PatternBudget } from '../../patterns.js';
import { isWithinWorkingHours } from '../../working-hours.js';

type ConditionTest = NodeOfSchema<typeof conditionSchema>['config']['all'][number];

export interface ConditionContext {
  vars: Readonly<Record<string, string>>;
  now: Date;
  /** null = always open */
  workingHours: WorkingHours | null;
  /** Runs `matches` patterns (RE2) within the engine call's budget. */
  patterns: PatternBudget;
}

function readVar(vars: Readonly<Record<string, string>>, name: string): string {
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * Evaluates one test. An unusable pattern or a non-numeric value makes the test false; only going past
 * the pattern budget throws (FlowLimitError).
 */
export function evaluateTest(test: ConditionTest, ctx: ConditionContext): boolean {
  switch (test.op) {
    case 'workingHours':
      return ctx.workingHours === null || isWithinWorkingHours(ctx.workingHours, ctx.now);
    case 'equals':
      return readVar(ctx.vars, test.variable) === test.value;
    case 'notEquals':
      return readVar(ctx.vars, test.variable) !== test.value;
    case 'contains':
      return readVar(ctx.vars, test.variable).includes(test.value);
    case 'matches':
      return ctx.patterns.test(test.value, readVar(ctx.vars, test.variable));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const value = parseNumber(readVar(ctx.vars, test.variable));
      if (value === null) return false;
      if (test.op === 'gt') return value > test.value;
      if (test.op === 'gte') return value >= test.value;
      if (test.op === 'lt') return value < test.value;
      return value <= test.value;
    }
    default:
      return false;
  }
}

/** A condition node holds when every one of its tests does. */
export function evaluateAll(tests: readonly ConditionTest[], ctx: ConditionContext): boolean {
  return tests.every((test) => evaluateTest(test, ctx));
}
