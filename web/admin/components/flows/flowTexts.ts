/**
 * The translation editor's model (issue 19): the texts of one node or of the flow's settings, read from the
 * editor's JSON, and edits that return a new definition (the JSON text stays the source of truth). Never
 * throws on odd JSON: what cannot be read is not listed.
 */
import { nodeTexts, SETTINGS_TEXT_FIELDS, textsAt, type TextAt } from '../../../../domain/flow/text-fields.js';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../../../../domain/locales.js';
import { SETTINGS_TEXT_DEFAULTS } from '../../../../domain/flow/default-texts.js';

export type Definition = Record<string, unknown>;
/** Whose texts: the flow's settings, or a node by id. */
export type TextOwner = { kind: 'settings' } | { kind: 'node'; id: string };
/** A text of the panel; `builtIn`: a settings text the draft leaves out, shown with Parley's default (editing writes it). */
export type EditableText = TextAt & { builtIn?: true };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The flow's default locale (settings.defaultLocale), English when absent or unknown. */
export function defaultLocaleOf(definition: Definition | null): SupportedLocale {
  const settings = definition && isRecord(definition.settings) ? definition.settings : null;
  const value = settings?.defaultLocale;
  return SUPPORTED_LOCALES.find((l) => l === value) ?? 'en';
}

function ownerValue(definition: Definition, owner: TextOwner): Record<string, unknown> | null {
  if (owner.kind === 'settings') return isRecord(definition.settings) ? definition.settings : null;
  const nodes = Array.isArray(definition.nodes) ? definition.nodes : [];
  return nodes.find((n): n is Record<string, unknown> => isRecord(n) && n.id === owner.id) ?? null;
}

/**
 * The texts the owner holds, with their paths inside it. For the settings, every settings text: those the draft
 * leaves out with Parley's built-in default (both languages), which the draft gets once one is edited.
 */
export function textsOf(definition: Definition | null, owner: TextOwner): EditableText[] {
  if (!definition) return [];
  if (owner.kind === 'node') {
    const node = ownerValue(definition, owner);
    return node ? nodeTexts(node) : [];
  }
  const settings = isRecord(definition.settings) ? definition.settings : {};
  return SETTINGS_TEXT_FIELDS.flatMap(({ path }): EditableText[] => {
    const [present] = textsAt(settings, [path]);
    if (present) return [present];
    const fallback = SETTINGS_TEXT_DEFAULTS[path];
    return fallback ? [{ at: path, text: { ...fallback }, builtIn: true }] : [];
  });
}

/** One variant of a text: a plain string is the default locale's (and every other locale's until translated). */
export function variantOf(text: TextAt['text'], locale: string, defaultLocale: string): string | null {
  if (typeof text === 'string') return locale === defaultLocale ? text : null;
  return Object.hasOwn(text, locale) ? text[locale] : null;
}

/** `config.items[1].content` → ['config', 'items', 1, 'content']. */
function steps(path: string): Array<string | number> {
  return path.split('.').flatMap((part) => {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    return [m[1], ...[...m[2].matchAll(/\[(\d+)\]/g)].map((i) => Number(i[1]))];
  });
}

/** A copy of the definition with the owner's text at `path` replaced (null: leave the definition as it is). */
function withText(definition: Definition, owner: TextOwner, path: string, next: TextAt['text']): Definition | null {
  // A JSON copy: the definition is the editor's parsed JSON, and may come in as a Vue proxy (structuredClone refuses those).
  const copy = JSON.parse(JSON.stringify(definition)) as Definition;
  if (owner.kind === 'settings' && copy.settings === undefined) copy.settings = {};
  let at: unknown = ownerValue(copy, owner);
  const route = steps(path);
  for (const step of route.slice(0, -1)) {
    if (typeof step === 'number' ? !Array.isArray(at) : !isRecord(at)) return null;
    const container = at as Record<string | number, unknown>;
    // A built-in settings text inside a group the draft leaves out (`rating.text` without `rating`).
    if (owner.kind === 'settings' && typeof step === 'string' && container[step] === undefined) container[step] = {};
    at = container[step];
  }
  const last = route.at(-1);
  if (last === undefined || (typeof last === 'number' ? !Array.isArray(at) : !isRecord(at))) return null;
  (at as Record<string | number, unknown>)[last] = next;
  return copy;
}

/** Sets one locale's variant; the default locale's variant of a plain string stays a plain string. */
export function setVariant(definition: Definition, owner: TextOwner, text: TextAt, locale: string, value: string): Definition | null {
  const defaultLocale = defaultLocaleOf(definition);
  if (typeof text.text === 'string' && locale === defaultLocale) return withText(definition, owner, text.at, value);
  const variants = typeof text.text === 'string' ? { [defaultLocale]: text.text } : { ...text.text };
  variants[locale] = value;
  return withText(definition, owner, text.at, variants);
}

/** Removes a translation; with only the default locale's left, the text becomes a plain string again. */
export function removeVariant(definition: Definition, owner: TextOwner, text: TextAt, locale: string): Definition | null {
  if (typeof text.text === 'string') return null;
  const variants: Record<string, string> = { ...text.text };
  delete variants[locale];
  const keys = Object.keys(variants);
  const defaultLocale = defaultLocaleOf(definition);
  const next = keys.length === 1 && keys[0] === defaultLocale ? variants[defaultLocale] : variants;
  return withText(definition, owner, text.at, next);
}
