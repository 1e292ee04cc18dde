/**
 * Bounds on what one service flow can make the desk do (issue 16, item 1). A conversation whose flow
 * hits one ends with its flow-error message; no other conversation notices. The engine runs inside
 * workflow code, so these are constants, not configuration: changing one changes how recorded
 * histories replay. (The http node's activity-side limits are configurable: activities/outbound.ts.)
 * Documented in docs/flows.md. No zod here: the engine (workflow code) and domain/flow/schema.ts import it.
 */
import { DEFAULT_TEXTS } from './default-texts.js';

/** Nodes one engine call (the flow's start or one visitor answer) may execute before it is judged to loop. */
export const MAX_STEPS_PER_CALL = 100;

/** Longest text interpolation produces; longer results are cut here and end with `…`. Equals a chat message's limit. */
export const MAX_INTERPOLATED_TEXT_LENGTH = 4000;

/** Longest text a variable set from a web hook's answer keeps (cut like interpolated text). */
export const MAX_VARIABLE_LENGTH = 4000;

/** Longest admin pattern (form rule `regex`, condition `matches`), in characters. */
export const MAX_PATTERN_LENGTH = 500;

/**
 * Largest compiled pattern, in RE2 program instructions (`^(a+)+$` is 9; `[a-z]{1000}` is about 1000).
 * RE2 matching costs about program size × input length, so this and the input limit bound one test.
 */
export const MAX_PATTERN_PROGRAM_SIZE = 1000;

/** Longest input a pattern is run on; a longer answer breaks a `regex` rule and makes `matches` false. */
export const MAX_PATTERN_INPUT_LENGTH = 1000;

/**
 * Pattern work one engine call may do, in program size × (input length + 1) units: a few worst-case
 * tests (each at most 1000 × 1001), thousands of ordinary ones. Measured at most ~160 ns a unit, so
 * well under the worker's 2 s deadlock limit per workflow task. Past it the flow ends (flow error).
 */
export const MAX_PATTERN_WORK_PER_CALL = 3_000_000;

/** Most web hook calls one visitor input (or the flow's start) may lead to before the flow is judged to loop. */
export const MAX_CHAINED_HTTP_CALLS = 10;

/** Most failed hand-offs in a row without the visitor answering the bot (a flow looping handoff → failed → handoff). */
export const MAX_HANDOFF_FAILURES_WITHOUT_INPUT = 10;

/** What the visitor reads when their flow cannot go on, in English (the setting `flowErrorText`; all locales: default-texts.ts). */
export const DEFAULT_FLOW_ERROR_TEXT = DEFAULT_TEXTS.flowErrorText.en;

/** Cuts `text` to `max` characters, ending with `…`, without splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
