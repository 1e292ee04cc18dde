import { en } from '../../../../web/common/i18n/locales/en.js';
import { zhCN } from '../../../../web/common/i18n/locales/zh-CN.js';

type Tree = { [key: string]: string | Tree };

/** Every locale's catalogue, as plain trees of texts. */
export const catalogues = { en, 'zh-CN': zhCN } as unknown as Record<string, Tree>;

/** Every text of a catalogue with its key path. */
export function leaves(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

/** Values for a text's `{name}` placeholders that show which was put where. */
export function namedFor(message: string): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const m of message.matchAll(/\{\s*([A-Za-z_$][\w$.-]*)\s*\}/g)) named[m[1]] = `«${m[1]}»`;
  return named;
}

type T = (key: string, named?: Record<string, unknown>, plural?: number) => string;

/** Asserts two formatters give every text of a locale the same, with its parameters and each plural form. */
export function sameTexts(locale: string, ours: T, theirs: T, expectEqual: (a: string, b: string, what: string) => void): number {
  const all = leaves(catalogues[locale]);
  for (const [key, message] of all) {
    const named = namedFor(message);
    expectEqual(ours(key, named), theirs(key, named), key);
    if (message.includes('|')) for (const n of [0, 1, 2, 7]) expectEqual(ours(key, { n, ...named }, n), theirs(key, { n, ...named }, n), `${key} (${n})`);
  }
  return all.length;
}
