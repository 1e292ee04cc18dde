import type { MessageCompiler, MessageContext } from 'vue-i18n';
import { parse, splitForms, type Part } from './message-syntax.js';

/** What a compiled message gets from vue-i18n (its public typings leave out the helpers compiled messages use). */
interface Helpers {
  normalize(values: unknown[]): unknown;
  interpolate(value: unknown): unknown;
  named(key: string): unknown;
  list(index: number): unknown;
  plural(forms: unknown[]): unknown;
}

/**
 * The apps' message compiler (createI18n's `messageCompiler`): the catalogue's syntax only (message-syntax.ts), so
 * vue-i18n's own compiler (about 5 kB gzipped) is left out of every app (`__INTLIFY_DROP_MESSAGE_COMPILER__`,
 * web/vite.config.ts). No `new Function`: the CSP holds. tests/unit/web/i18n-compiler.test.ts formats every text of
 * every locale with both and compares.
 */
export const messageCompiler: MessageCompiler = ((source: unknown) => {
  if (typeof source !== 'string') return () => '';
  const forms = splitForms(source).map(parse);
  const render = (h: Helpers, parts: Part[]) => h.normalize(parts.map((p) => (typeof p === 'string' ? p
    : h.interpolate('list' in p ? h.list(p.list) : h.named(p.named)))));
  return (ctx: MessageContext<string>) => {
    const h = ctx as unknown as Helpers;
    return forms.length > 1 ? h.plural(forms.map((f) => render(h, f))) : render(h, forms[0]);
  };
}) as MessageCompiler;
