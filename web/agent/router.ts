import { createStaffRouter } from '../common/staffApp';
import { useSessionStore } from './stores/session';
import WorkbenchView from './views/WorkbenchView.vue';
import HistoryView from './views/HistoryView.vue';
import LeftMessagesView from './views/LeftMessagesView.vue';
import { lazyScreen } from '../common/lazyScreen';

export const router = createStaffRouter({
  base: '/agent/',
  app: 'agent',
  useSession: useSessionStore,
  routes: [{
    path: '/', component: WorkbenchView,
    // "My conversations" opens over the chats, inside the workbench, so its socket (and the desk's view of the agent) stays up.
    children: [{ path: '', name: 'workbench', component: { render: () => null } }, { path: 'history/:id?', name: 'history', component: HistoryView },
      { path: 'left-messages', name: 'left-messages', component: LeftMessagesView },
      // Issue 21: the agent's own service record, a lazy chunk with its texts (the app's up-front JS is at its budget).
      { path: 'record', name: 'record', component: lazyScreen(() => import('./views/ServiceRecordView.vue')) }],
  }],
});
