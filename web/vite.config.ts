import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import fs from 'node:fs';
import { build, defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { frameCatalogue } from './build/frameCatalogue';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.PARLEY_API_URL ?? 'http://localhost:3000';

/**
 * The dev server's SPA fallback only knows the root index.html. Deep links into the workbench
 * (`/agent/login`) and the console (`/admin/...`) must load their own page, like the API does in production.
 */
function multiPageFallback(): Plugin {
  const apps = ['agent', 'admin'];
  return {
    name: 'parley-multi-page-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '';
        const accept = req.headers.accept ?? '';
        if (req.method === 'GET' && accept.includes('text/html')) {
          const path = url.split('?')[0];
          for (const app of apps) {
            if ((path === `/${app}` || path.startsWith(`/${app}/`)) && !/\.[a-z0-9]+$/i.test(path)) {
              req.url = `/${app}/index.html`;
              break;
            }
          }
        }
        next();
      });
    },
  };
}

// vue-i18n's own message compiler is left out: web/common/i18n/compiler.ts compiles the catalogue's syntax.
const I18N_DEFINES = {
  __VUE_I18N_LEGACY_API__: false, __VUE_I18N_FULL_INSTALL__: false, __INTLIFY_PROD_DEVTOOLS__: false, __INTLIFY_DROP_MESSAGE_COMPILER__: true,
};

/**
 * Issue 19: the embeddable widget is built on its own after the three apps, into the same dist:
 * - `widget.js`, the loader a host page adds: one small IIFE (no Vue), `web/widget/loader.ts`;
 * - `embed/index.html`, the chat in the widget's iframe, with its own chunks (`embed/assets/`), so it does
 *   not load the apps' shared vendor chunk (the router, the workbench's libraries);
 * - `widget.d.ts`, the SDK's types.
 */
function widgetBuilds(): Plugin {
  return {
    name: 'parley-widget-builds',
    apply: 'build',
    async closeBundle() {
      const outDir = resolve(root, 'dist');
      const quiet = { logLevel: 'warn' as const, configFile: false as const, root };
      await build({
        ...quiet,
        define: { 'process.env.NODE_ENV': '"production"' },
        build: {
          outDir, emptyOutDir: false, target: 'es2019', copyPublicDir: false,
          lib: { entry: resolve(root, 'widget/loader.ts'), formats: ['iife'], name: 'ParleyWidget', fileName: () => 'widget.js' },
        },
      });
      await build({
        ...quiet,
        base: '/',
        plugins: [vue(), frameCatalogue(['common', 'visitor', 'widget'])],
        // Composition API only (every component is <script setup>): Vue's Options API code is left out.
        define: {
          __VUE_OPTIONS_API__: false, __VUE_PROD_DEVTOOLS__: false, __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
        },
        // Lighter stand-ins, to keep the frame within its 80 kB: the chat validates nothing with zod (the schemas
        // domain/ modules build at load go to embed/zod-stub.ts); links are found by embed/linkify-lite.ts (safety is
        // still web/common/linkify.ts's); texts are formatted by embed/vue-i18n-lite.ts (tested against vue-i18n);
        // a visitor's short conversation is rendered whole (embed/plain-list.ts instead of the virtualiser); and the
        // catalogue carries only the frame's namespaces (build/frameCatalogue.ts).
        resolve: {
          alias: [
            { find: /^zod$/, replacement: resolve(root, 'embed/zod-stub.ts') },
            { find: /^linkifyjs$/, replacement: resolve(root, 'embed/linkify-lite.ts') },
            { find: /^@tanstack\/vue-virtual$/, replacement: resolve(root, 'embed/plain-list.ts') },
            { find: /^vue-i18n$/, replacement: resolve(root, 'embed/vue-i18n-lite.ts') },
          ],
        },
        build: {
          outDir, emptyOutDir: false, copyPublicDir: false, assetsDir: 'embed/assets',
          rollupOptions: {
            input: { embed: resolve(root, 'embed/index.html') },
            // The chat validates nothing with zod (types only): the schemas domain/ modules build at load are dropped;
            // the texts of the staff apps' namespaces that web/common/labels.ts wraps at load go with them.
            treeshake: { manualPureFunctions: ['z', 'texts'], propertyReadSideEffects: false, moduleSideEffects: (id: string) => !id.includes('/node_modules/zod/') },
          },
        },
      });
      fs.copyFileSync(resolve(root, 'widget/parley.d.ts'), resolve(outDir, 'widget.d.ts'));
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [vue(), multiPageFallback(), widgetBuilds()],
  // vue-i18n: Composition API only (drops the legacy API from the bundles); messages compile with no eval, so the CSP holds.
  define: I18N_DEFINES,
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        visitor: resolve(root, 'index.html'),
        agent: resolve(root, 'agent/index.html'),
        admin: resolve(root, 'admin/index.html'),
      },
      output: {
        // Libraries and the shared web layer are cached once for all three apps.
        manualChunks(id) {
          // The flow designer's libraries load with it, on the flow page only.
          if (/\/node_modules\/(@vue-flow|d3-[a-z]+|elkjs|re2js|ipaddr\.js|zod)\//.test(id)) return undefined;
          // Issue 21: the reports' charts load with the reports page only; the lazy screens' texts with them.
          if (/\/node_modules\/(echarts|zrender|tslib)\//.test(id) || id.includes('/web/common/i18n/screens/')) return undefined;
          if (id.includes('/node_modules/') || id.includes('plugin-vue:export-helper')) return 'vendor';
          if (id.includes('/web/common/')) return 'common';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      // Host kept as the browser sent it: a staff socket signed in by cookie must come from the page's own host (api/socket/index.ts).
      '/socket.io': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
});
