import { MAX_INTERPOLATED_TEXT_LENGTH, truncateText } from './limits.js';

/**
 * Other names for Parley's variables, so a text copied from a Tencent Cloud Desk template works as written:
 * `${StaffNickName}` is the agent's name. (`${QueuePosition}` and `${WaitNo}` are Parley's own names too.)
 */
export const VARIABLE_ALIASES: Readonly<Record<string, string>> = { StaffNickName: 'agentName' };

/** `${name}` placeholders; whitespace inside the braces is tolerated. */
const PLACEHOLDER = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;

/**
 * Replaces every `${name}` in `template` with `vars[name]`; unknown names become the empty string.
 * The result is cut at MAX_INTERPOLATED_TEXT_LENGTH (ending with `…`), and it stops growing there:
 * a template repeating a long answer cannot build megabytes of text.
 */
export function interpolate(template: string, vars: Readonly<Record<string, string>>): string {
  const max = MAX_INTERPOLATED_TEXT_LENGTH;
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    const alias = Object.hasOwn(VARIABLE_ALIASES, name) ? VARIABLE_ALIASES[name] : undefined;
    const value = Object.hasOwn(vars, name) ? vars[name] : alias !== undefined && Object.hasOwn(vars, alias) ? vars[alias] : undefined;
    out += template.slice(last, match.index) + (typeof value === 'string' ? value.slice(0, max + 1) : '');
    last = match.index + match[0].length;
    if (out.length > max) return truncateText(out, max);
  }
  return truncateText(out + template.slice(last, last + max + 1), max);
}

/** Names of the variables a template refers to, in order of first use. */
export function placeholderNames(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/** Text with some placeholders left open: literal strings and `{ slot }` names, in order. */
export type SlottedText = Array<string | { slot: string }>;

/**
 * Interpolates `template` now except the placeholders named in `later`, which stay open for
 * `fillSlots` (e.g. the queue notice: the conversation knows the visitor's variables, the dispatcher
 * the position). Values filled in now are never read as placeholders again.
 */
export function interpolateExcept(template: string, vars: Readonly<Record<string, string>>, later: readonly string[]): SlottedText {
  const parts: SlottedText = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!later.includes(name)) continue;
    parts.push(interpolate(template.slice(last, match.index), vars), { slot: name });
    last = match.index + match[0].length;
  }
  parts.push(interpolate(template.slice(last), vars));
  return parts.filter((p) => p !== '');
}

/** Fills the open placeholders of `interpolateExcept`; unknown names become the empty string. */
export function fillSlots(parts: SlottedText, values: Readonly<Record<string, string>>): string {
  return truncateText(parts.map((p) => (typeof p === 'string' ? p : Object.hasOwn(values, p.slot) ? values[p.slot] : '')).join(''), MAX_INTERPOLATED_TEXT_LENGTH);
}

/** Fills the open placeholders named in `values` and leaves the others open (for a later `fillSlots`). */
export function fillSomeSlots(parts: SlottedText, values: Readonly<Record<string, string>>): SlottedText {
  return parts.map((p) => (typeof p === 'string' || !Object.hasOwn(values, p.slot) ? p : values[p.slot]));
}
