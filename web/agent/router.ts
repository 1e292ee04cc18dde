import { createRouter, createWebHistory } from 'vue-router';
import { installAuthGuard } from '../common/guards';
import { useSessionStore } from './stores/session';
import LoginView from './views/LoginView.vue';
import WorkbenchView from './views/WorkbenchView.vue';

export const router = createRouter({
  history: createWebHistory('/agent/'),
  routes: [
    { path: '/login', name: 'login', component: LoginView },
    { path: '/', name: 'workbench', component: WorkbenchView },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

installAuthGuard(router, useSessionStore);
