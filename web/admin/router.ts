import { createStaffRouter } from '../common/staffApp';
import { useSessionStore } from './stores/session';
import ConsoleLayout from './views/ConsoleLayout.vue';
import ConversationsView from './views/ConversationsView.vue';
import ConversationDetailView from './views/ConversationDetailView.vue';
import AgentsView from './views/AgentsView.vue';
import TeamsView from './views/TeamsView.vue';
import RoutingSettingsView from './views/RoutingSettingsView.vue';
import QueueView from './views/QueueView.vue';
import FlowsView from './views/FlowsView.vue';
import ClassificationView from './views/ClassificationView.vue';
import CannedResponsesView from './views/CannedResponsesView.vue';
import LeftMessagesView from './views/LeftMessagesView.vue';
import PrechatFormView from './views/PrechatFormView.vue';
import WidgetSettingsView from './views/WidgetSettingsView.vue';
import { lazyScreen } from '../common/lazyScreen';

export const router = createStaffRouter({
  base: '/admin/',
  app: 'admin',
  useSession: useSessionStore,
  routes: [
    {
      path: '/',
      component: ConsoleLayout,
      children: [
        { path: '', name: 'conversations', component: ConversationsView },
        { path: 'conversations/:id', name: 'conversation', component: ConversationDetailView, props: true },
        // Issue 21: search every conversation (its own chunk; filters in the URL for reports' drill-down)
        { path: 'search', name: 'search', component: () => import('./views/SearchView.vue') },
        { path: 'queue', name: 'queue', component: QueueView },
        { path: 'agents', name: 'agents', component: AgentsView },
        { path: 'teams', name: 'teams', component: TeamsView },
        { path: 'settings/routing', name: 'routing', component: RoutingSettingsView },
        { path: 'flows', name: 'flows', component: FlowsView },
        // The designer (Vue Flow, ELK, the flow validator) loads only on the flow page.
        { path: 'flows/:flowId', name: 'flow', component: () => import('./views/FlowEditorView.vue'), props: true },
        { path: 'settings/classification', name: 'classification', component: ClassificationView },
        { path: 'canned-responses', name: 'canned', component: CannedResponsesView },
        { path: 'left-messages', name: 'left-messages', component: LeftMessagesView },
        { path: 'settings/prechat', name: 'prechat', component: PrechatFormView },
        { path: 'settings/widget', name: 'widget', component: WidgetSettingsView },
        { path: 'settings/blacklist', name: 'blacklist', component: () => import('./views/BlacklistView.vue') },
        // Issue 21: the wallboard and the reports (ECharts) are lazy chunks with their texts.
        { path: 'wallboard', name: 'wallboard', component: lazyScreen(() => import('./views/WallboardView.vue')) },
        { path: 'reports', name: 'reports', component: lazyScreen(() => import('./views/ReportsView.vue')) },
      ],
    },
  ],
});
