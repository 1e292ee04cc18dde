import { createRouter, createWebHistory } from 'vue-router';
import { installAuthGuard } from '../common/guards';
import { useSessionStore } from './stores/session';
import LoginView from './views/LoginView.vue';
import ConsoleLayout from './views/ConsoleLayout.vue';
import ConversationsView from './views/ConversationsView.vue';
import ConversationDetailView from './views/ConversationDetailView.vue';

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    { path: '/login', name: 'login', component: LoginView },
    {
      path: '/',
      component: ConsoleLayout,
      children: [
        { path: '', name: 'conversations', component: ConversationsView },
        { path: 'conversations/:id', name: 'conversation', component: ConversationDetailView, props: true },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

installAuthGuard(router, useSessionStore);
