import { createStaffRouter } from '../common/staffApp';
import { STAFF_APPS } from '../common/labels';
import { useSessionStore } from './stores/session';
import WorkbenchView from './views/WorkbenchView.vue';

export const router = createStaffRouter({
  base: '/agent/',
  title: STAFF_APPS.agent.title,
  useSession: useSessionStore,
  routes: [{ path: '/', name: 'workbench', component: WorkbenchView }],
});
