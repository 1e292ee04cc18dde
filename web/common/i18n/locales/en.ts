/**
 * The English catalogue, and the shape every other locale must have (`Catalogue`). One namespace per app
 * (`visitor`, `agent`, `admin`, `widget`) plus `common` for the shared components.
 */
export const en = {
  common: {
    language: 'Language',
    languages: { en: 'English', 'zh-CN': '简体中文' },
  },
  visitor: {},
  agent: {},
  admin: {
    /** Issue 19: per-locale variants of a flow's texts (FlowTranslations.vue). */
    flowLocales: {
      title: 'Translations',
      hint: 'Each text the visitor reads can have a variant per language. Visitors whose language has none read the {language} text.',
      fixJsonFirst: 'Fix the JSON above first: translations edit the last valid draft.',
      textsOf: 'Texts of',
      settings: 'Flow settings',
      node: 'Node {id}',
      settingsDefaults: 'Texts marked “built-in” are not in the draft: Parley says its own English and Chinese. Editing one writes it into the draft.',
      builtIn: 'built-in',
      none: 'No texts here.',
      variantsOf: 'Languages of {path}',
      missing: 'not translated',
      textIn: '{path} in {language}',
      untranslated: 'No {language} variant: these visitors read the {fallback} text.',
      add: 'Add {language} translation',
      remove: 'Remove the {language} translation',
    },
  },
  widget: {},
};

/** A catalogue: the English one's keys, any string values. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalogue = Shape<typeof en>;
