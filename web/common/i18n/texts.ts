import { t } from './index.js';

/** The string leaves of a catalogue section, as read-only strings. */
export type Texts<T> = { readonly [K in keyof T]: T[K] extends string ? string : Texts<T[K]> };

/**
 * A catalogue section as an object (`CONTEXT_TEXTS.retry`): each read looks the text up in the current locale,
 * so a template or computed that reads it follows a language switch. `shape` is the English section (its keys
 * and nesting); `fns` adds the texts that take parameters, which replace the plain lookup of the same key.
 */
export function texts<T extends object, F extends object = Record<never, never>>(path: string, shape: T, fns?: F): Omit<Texts<T>, keyof F> & F {
  const own = (fns ?? {}) as Record<string, unknown>;
  return new Proxy(own, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) {
        const own: unknown = Reflect.get(target, key);
        return own;
      }
      const value = (shape as Record<string, unknown>)[key];
      if (value !== null && typeof value === 'object') {
        const nested: unknown = texts(`${path}.${key}`, value);
        return nested;
      }
      return typeof value === 'string' ? t(`${path}.${key}`) : undefined;
    },
  }) as Omit<Texts<T>, keyof F> & F;
}
