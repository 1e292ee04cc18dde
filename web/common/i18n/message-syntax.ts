/**
 * The catalogue's message syntax (web/common/i18n/locales/), as vue-i18n reads it: `{name}` and `{0}` placeholders,
 * `{'…'}` literals (`{'@'}`, `{'|'}`) and plural forms separated by `|`. Read by the apps' message compiler
 * (./compiler.ts) and by the widget frame's formatter (web/embed/vue-i18n-lite.ts).
 */
/** A message's text and placeholders: `{name}` (named) and `{0}` (list). */
export type Part = string | { named: string } | { list: number };

/** One plural form into text and placeholders. */
export function parse(source: string): Part[] {
  const parts: Part[] = [];
  const pattern = /\{\s*(?:'([^']*)'|(\d+)|([A-Za-z_$][\w$.-]*))\s*\}/g;
  let at = 0;
  for (const m of source.matchAll(pattern)) {
    if (m.index > at) parts.push(source.slice(at, m.index));
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push({ list: Number(m[2]) });
    else parts.push({ named: m[3] });
    at = m.index + m[0].length;
  }
  if (at < source.length) parts.push(source.slice(at));
  return parts;
}

/** Plural forms are separated by `|` outside placeholders (`{'|'}` is a literal pipe); spaces around it go. */
export function splitForms(source: string): string[] {
  const forms: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) {
      forms.push(source.slice(from, i).trim());
      from = i + 1;
    }
  }
  forms.push(forms.length > 0 ? source.slice(from).trim() : source);
  return forms;
}

