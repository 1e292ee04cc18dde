// How the flow reads a visitor's answer: as one of the choices shown (menus, options forms), or as a number.
import type { VisitorInput } from './types.js';

export interface Choice {
  /** What a click sends as `choiceId`. */
  id: string;
  /** What the visitor sees and may type. */
  text: string;
}

/**
 * Finds the choice a visitor meant: a clicked `choiceId`, else the exact (trimmed) text of a choice,
 * else its 1-based number as shown ("1", "2", …). Returns the index, or -1.
 */
export function matchChoice(choices: readonly Choice[], input: VisitorInput): number {
  if (input.choiceId !== undefined) {
    const byId = choices.findIndex((c) => c.id === input.choiceId);
    if (byId >= 0) return byId;
  }
  const text = input.text.trim();
  const byText = choices.findIndex((c) => c.text.trim() === text);
  if (byText >= 0) return byText;
  if (/^[0-9]{1,4}$/.test(text)) {
    const n = Number(text);
    if (n >= 1 && n <= choices.length) return n - 1;
  }
  return -1;
}

/** Parses a number the way a visitor would write it; anything else (including empty) is null. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
