/**
 * The chat's frame formats its catalogue messages with this small compiler instead of vue-i18n's (5 kB gzipped),
 * to stay within the frame's 80 kB (web/vite.config.ts drops vue-i18n's compiler from that build only). It knows
 * what the catalogue uses: `{name}` and `{0}` placeholders, `{'…'}` literals (`{'@'}`, `{'{'}`) and plural
 * forms separated by ` | `. Imported first by embed/main.ts: vue-i18n must be loaded (it registers its own
 * compiler) before this replaces it, and before the catalogue's i18n instance is created.
 */
import 'vue-i18n';
import { registerMessageCompiler, type MessageContext } from '@intlify/core-base';

type Part = string | { named: string } | { list: number };

/** One plural form into text and placeholders. */
function parse(source: string): Part[] {
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

/** What a compiled message gets from vue-i18n (its public typings leave out the helpers compiled messages use). */
interface Helpers {
  normalize(values: unknown[]): string;
  interpolate(value: unknown): unknown;
  named(key: string): unknown;
  list(index: number): unknown;
  plural(forms: string[]): string;
}

registerMessageCompiler((source) => {
  if (typeof source !== 'string') return () => '';
  const forms = source.split(/\s+\|\s+/).map(parse);
  const render = (h: Helpers, parts: Part[]) => h.normalize(parts.map((p) => (typeof p === 'string' ? p
    : h.interpolate('list' in p ? h.list(p.list) : h.named(p.named)))));
  return (ctx: MessageContext<string>) => {
    const h = ctx as unknown as Helpers;
    return forms.length > 1 ? h.plural(forms.map((f) => render(h, f))) : render(h, forms[0]);
  };
});
