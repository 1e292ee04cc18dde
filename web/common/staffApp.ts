import { createApp, watchEffect } from 'vue';
import { createPinia } from 'pinia';
import { createRouter, createWebHistory, type Router, type RouteRecordRaw } from 'vue-router';
import StaffApp from './StaffApp.vue';
import StaffLoginView from './StaffLoginView.vue';
import { installAuthGuard } from './guards';
import { i18nPlugin, setLocale, currentLocale } from './i18n';
import { STAFF_APPS } from './labels';
import type { UseStaffSession } from './session';

export type StaffAppName = 'agent' | 'admin';

export interface StaffAppOptions {
  /** Where the app lives (`/agent/`, `/admin/`). */
  base: string;
  /** Which app: its name on the login page and the tab. */
  app: StaffAppName;
  useSession: UseStaffSession;
  /** The app's own routes; `/login` and the fallback to `/` are added. */
  routes: RouteRecordRaw[];
}

/** A staff app's router: `/login`, the app's routes, anything else to `/`, and the signed-in guard. */
export function createStaffRouter({ base, app, useSession, routes }: StaffAppOptions): Router {
  const router = createRouter({
    history: createWebHistory(base),
    routes: [
      { path: '/login', name: 'login', component: StaffLoginView, props: { app, useSession } },
      ...routes,
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });
  installAuthGuard(router, useSession);
  return router;
}

/** Mounts a staff app on `#app`. */
export function mountStaffApp(router: Router, useSession: UseStaffSession, app: StaffAppName) {
  watchEffect(() => { document.title = STAFF_APPS[app].documentTitle; });
  void setLocale(currentLocale(), false).then(() => createApp(StaffApp, { useSession }).use(createPinia()).use(router).use(i18nPlugin).mount('#app'));
}
