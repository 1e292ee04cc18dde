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
  admin: {},
  widget: {},
};

/** A catalogue: the English one's keys, any string values. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalogue = Shape<typeof en>;
