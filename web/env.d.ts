/// <reference types="vite/client" />

// What a `.vue` import is, for tools that type-check without vue-tsc (typescript-eslint); vue-tsc reads the
// component itself and ignores this.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
