import type { Catalogue } from './en';

/** 简体中文. `satisfies Catalogue` makes the compiler flag a key missing here. */
export const zhCN = {
  common: {
    language: '语言',
    languages: { en: 'English', 'zh-CN': '简体中文' },
  },
  visitor: {},
  agent: {},
  admin: {},
  widget: {},
} satisfies Catalogue;
