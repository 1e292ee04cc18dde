import type { Catalogue } from './en';

/** 简体中文. `satisfies Catalogue` makes the compiler flag a key missing here. */
export const zhCN = {
  common: {
    language: '语言',
    languages: { en: 'English', 'zh-CN': '简体中文' },
  },
  visitor: {},
  agent: {},
  admin: {
    flowLocales: {
      title: '多语言文本',
      hint: '访客看到的每段文本都可以按语言设置不同版本。没有对应语言版本的访客会看到{language}文本。',
      fixJsonFirst: '请先修正上方的 JSON：翻译编辑的是最后一次有效的草稿。',
      textsOf: '文本所属',
      settings: '流程设置',
      node: '节点 {id}',
      settingsDefaults: '标记为“内置”的文本不在草稿中，使用 Parley 自带的英文和中文文本。编辑后会写入草稿。',
      builtIn: '内置',
      none: '这里没有文本。',
      variantsOf: '{path} 的语言版本',
      missing: '未翻译',
      textIn: '{path}（{language}）',
      untranslated: '没有{language}版本：这些访客会看到{fallback}文本。',
      add: '添加{language}翻译',
      remove: '删除{language}翻译',
    },
  },
  widget: {},
} satisfies Catalogue;
