import type { NodeOfSchema } from '../types.js';
import type { formSchema } from './node.js';
import { parseNumber } from '../../answers.js';
import type { PatternBudget } from '../../patterns.js';

type ValidationRule = NodeOfSchema<typeof formSchema>['config']['rules'][number];

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE_CHARS = /^[0-9+\-() ]+$/;

function passes(rule: ValidationRule, value: string, patterns: PatternBudget): boolean {
  switch (rule.type) {
    case 'required':
      return value !== '';
    case 'regex':
      return patterns.test(rule.pattern, value);
    case 'email':
      return EMAIL.test(value);
    case 'phone': {
      if (!PHONE_CHARS.test(value)) return false;
      const digits = value.replace(/[^0-9]/g, '').length;
      return digits >= 6 && digits <= 20;
    }
    case 'range': {
      const n = parseNumber(value);
      if (n === null) return false;
      return (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max);
    }
    case 'maxLength':
      return [...value].length <= rule.max;
    default:
      return false;
  }
}

/**
 * Checks a (trimmed) text answer against the rules in order and returns the first broken rule,
 * or null when the answer is acceptable. An empty answer only breaks a `required` rule: the other
 * rules describe the format of an answer that was given.
 */
export function firstBrokenRule(rules: readonly ValidationRule[], value: string, patterns: PatternBudget): ValidationRule | null {
  for (const rule of rules) {
    if (value === '' && rule.type !== 'required') continue;
    if (!passes(rule, value, patterns)) return rule;
  }
  return null;
}
