import { defineComponent, h, ref, type App, type Ref, type VNodeChild } from 'vue';
import { parse, splitForms, type Part } from '../common/i18n/message-syntax.js';

/**
 * The part of vue-i18n the widget's chat frame uses, small enough for the frame's 80 kB (web/vite.config.ts aliases
 * `vue-i18n` to this module in the frame's build only; the apps keep vue-i18n): `createI18n` with a global
 * composition instance (`t`, `locale`, `setLocaleMessage`, `te`), `useI18n().t`, `$t` in templates and `<i18n-t>`.
 * Messages are formatted as vue-i18n formats the catalogue's syntax: `{name}` and `{0}` placeholders, `{'…'}`
 * literals and plural forms separated by ` | ` (vue-i18n's default choice rule). tests/unit/web/vue-i18n-lite.test.ts
 * checks every text of every locale against vue-i18n itself.
 */

type Messages = Record<string, unknown>;
type Named = Record<string, unknown> | unknown[];

const compiled = new Map<string, Part[][]>();
function formsOf(source: string): Part[][] {
  let forms = compiled.get(source);
  if (!forms) {
    forms = splitForms(source).map(parse);
    compiled.set(source, forms);
  }
  return forms;
}

/** vue-i18n's default plural rule: two forms are one | many (0 is many); three are zero | one | many. */
function pluralIndex(choice: number, forms: number): number {
  const n = Math.abs(choice);
  if (forms === 2) return n === 1 ? 0 : 1;
  return n ? Math.min(n, 2) : 0;
}

function valueOf(part: Exclude<Part, string>, named: Named): unknown {
  if ('list' in part) return Array.isArray(named) ? named[part.list] : (named)[part.list];
  return Array.isArray(named) ? undefined : named[part.named];
}

/** As Vue's `toDisplayString`: nothing for null and undefined, JSON for objects. */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : '';
}

function lookup(messages: Messages | undefined, key: string): string | null {
  let node: unknown = messages;
  for (const segment of key.split('.')) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Messages)[segment];
  }
  return typeof node === 'string' ? node : null;
}

interface Options {
  locale: string;
  fallbackLocale: string;
  messages: Record<string, Messages>;
}

export function createI18n(options: Options & Record<string, unknown>) {
  const messages: Record<string, Messages> = { ...options.messages };
  const locale: Ref<string> = ref(options.locale);
  const version = ref(0); // a locale's catalogue arrived: texts read again

  const source = (key: string): string | null => {
    void version.value;
    return lookup(messages[locale.value], key) ?? lookup(messages[options.fallbackLocale], key);
  };

  /** The parts of a message's form for a count; null: no such text. */
  function form(key: string, choice: number): Part[] | null {
    const message = source(key);
    if (message === null) return null;
    const forms = formsOf(message);
    return forms.length > 1 ? forms[pluralIndex(choice, forms.length)] : forms[0];
  }

  /**
   * `t(key)`, `t(key, named)`, `t(key, count)`, `t(key, named, count)` as vue-i18n's composer takes them: the form
   * is chosen by a named `count` or `n`, else the count (else -1); `{n}` and `{count}` default to the count.
   */
  function t(key: string, a?: Named | number, b?: number | string): string {
    const named: Named = typeof a === 'number' || a === undefined ? {} : a;
    const plural = typeof a === 'number' ? a : typeof b === 'number' ? b : undefined;
    const own = Array.isArray(named) ? {} : named;
    const choice = typeof own.count === 'number' ? own.count : typeof own.n === 'number' ? own.n : plural ?? -1;
    const parts = form(key, choice);
    if (parts === null) return key;
    return parts.map((p) => {
      if (typeof p === 'string') return p;
      const value = valueOf(p, named);
      return text(plural !== undefined && !value && 'named' in p && (p.named === 'n' || p.named === 'count') ? plural : value);
    }).join('');
  }

  const global = {
    locale,
    t,
    te: (key: string, at?: string) => lookup(messages[at ?? locale.value], key) !== null,
    setLocaleMessage(at: string, catalogue: Messages) {
      messages[at] = catalogue;
      version.value++;
    },
  };
  active = { ...global, form };
  return {
    global,
    install(app: App) {
      (app.config.globalProperties as Record<string, unknown>).$t = t; // vue-i18n's typings declare `$t`
    },
  };
}

let active: {
  t: (key: string, a?: Named | number, b?: number | string) => string;
  locale: Ref<string>;
  form: (key: string, choice: number) => Part[] | null;
} | null = null;

export function useI18n() {
  if (!active) throw new Error('createI18n() first');
  return { t: active.t, locale: active.locale };
}

/** `<i18n-t keypath="…">` with named slots standing in for the placeholders of the same name. */
export const Translation = defineComponent({
  name: 'I18nT',
  props: { keypath: { type: String, required: true }, tag: { type: String, default: 'span' }, plural: { type: Number, default: undefined } },
  setup(props, { slots }) {
    return () => {
      const parts = active?.form(props.keypath, props.plural ?? -1) ?? [props.keypath];
      const children: VNodeChild[] = parts.map((p) => (typeof p === 'string' ? p : 'named' in p && slots[p.named] ? slots[p.named]!() : ''));
      return h(props.tag, children);
    };
  },
});
