import type { RE2JS } from 're2js';
import { MAX_PATTERN_INPUT_LENGTH, MAX_PATTERN_LENGTH, MAX_PATTERN_PROGRAM_SIZE, MAX_PATTERN_WORK_PER_CALL } from './limits.js';

/**
 * Admin-written patterns (form rule `regex`, condition `matches`) run on RE2 (re2js: pure JS, so it
 * runs inside workflow code too), which matches in time linear in the input: no catastrophic
 * backtracking. RE2 has no backreferences or lookarounds; the validator refuses such patterns.
 */
export type CompiledPattern = { ok: true; re: RE2JS; cost: number } | { ok: false; reason: string };

/** Thrown when a flow goes past one of its bounds; the engine ends the conversation with the flow-error text. */
export class FlowLimitError extends Error {}

/**
 * RE2, handed in rather than imported: inside workflow code every cached workflow evaluates the modules it
 * loads, and re2js costs about 125 kB of heap per evaluation. The workflow loads it only when its flow has
 * patterns (conversationWorkflow, flowUsesPatterns); Node code loads it with `load-re2.ts`.
 */
let re2: typeof RE2JS | null = null;

/** Makes RE2 available to compilePattern (idempotent). */
export function providePatternEngine(engine: typeof RE2JS): void {
  re2 = engine;
}

const cache = new Map<string, CompiledPattern>();
const CACHE_SIZE = 256;

function compileUncached(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, reason: `it is longer than ${MAX_PATTERN_LENGTH} characters` };
  if (re2 === null) throw new Error('RE2 is not loaded: call providePatternEngine (domain/flow/load-re2.ts) first');
  let re: RE2JS;
  try {
    re = re2.compile(pattern);
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    return { ok: false, reason: `${message} (patterns run on RE2: no backreferences, lookahead or lookbehind)` };
  }
  const cost = re.programSize();
  if (cost > MAX_PATTERN_PROGRAM_SIZE) return { ok: false, reason: `it is too complex (${cost} RE2 instructions, at most ${MAX_PATTERN_PROGRAM_SIZE})` };
  return { ok: true, re, cost };
}

/** Compiles an admin pattern (cached: compiling is pure), or says why it cannot be used. */
export function compilePattern(pattern: string): CompiledPattern {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    compiled = compileUncached(pattern);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, compiled);
  }
  return compiled;
}

/**
 * The pattern work one engine call may still do. Counted, not timed, so a replay decides the same.
 * An unusable pattern never matches; an input over MAX_PATTERN_INPUT_LENGTH never matches.
 */
export class PatternBudget {
  private used = 0;

  constructor(private readonly limit: number = MAX_PATTERN_WORK_PER_CALL) {}

  /** Whether `pattern` matches anywhere in `input` (like RegExp.test). Throws FlowLimitError past the budget. */
  test(pattern: string, input: string): boolean {
    const compiled = compilePattern(pattern);
    if (!compiled.ok || input.length > MAX_PATTERN_INPUT_LENGTH) return false;
    this.used += compiled.cost * (input.length + 1);
    if (this.used > this.limit) throw new FlowLimitError(`the flow's patterns did more than ${this.limit} units of work for one input`);
    return compiled.re.test(input);
  }
}
