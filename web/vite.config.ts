import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

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

export default defineConfig({
  root,
  base: '/',
  plugins: [vue(), multiPageFallback()],
  // vue-i18n: Composition API only (drops the legacy API from the bundles); messages compile without eval (CSP).
  define: { __VUE_I18N_LEGACY_API__: false, __VUE_I18N_FULL_INSTALL__: false, __INTLIFY_PROD_DEVTOOLS__: false },
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
          if (/\/node_modules\/(@vue-flow|d3-[a-z]+|elkjs|re2js|ipaddr\.js)\//.test(id)) return undefined;
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
