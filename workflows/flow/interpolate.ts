/** `${name}` placeholders; whitespace inside the braces is tolerated. */
const PLACEHOLDER = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;

/** Replaces every `${name}` in `template` with `vars[name]`; unknown names become the empty string. */
export function interpolate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    return typeof value === 'string' ? value : '';
  });
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
    const name = match[1]!;
    if (!later.includes(name)) continue;
    parts.push(interpolate(template.slice(last, match.index), vars), { slot: name });
    last = match.index + match[0].length;
  }
  parts.push(interpolate(template.slice(last), vars));
  return parts.filter((p) => p !== '');
}

/** Fills the open placeholders of `interpolateExcept`; unknown names become the empty string. */
export function fillSlots(parts: SlottedText, values: Readonly<Record<string, string>>): string {
  return parts.map((p) => (typeof p === 'string' ? p : Object.hasOwn(values, p.slot) ? values[p.slot] : '')).join('');
}
