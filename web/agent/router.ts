import { createStaffRouter } from '../common/staffApp';
import { STAFF_APP_TITLES } from '../common/labels';
import { useSessionStore } from './stores/session';
import WorkbenchView from './views/WorkbenchView.vue';

export const router = createStaffRouter({
  base: '/agent/',
  title: STAFF_APP_TITLES.agent,
  useSession: useSessionStore,
  routes: [{ path: '/', name: 'workbench', component: WorkbenchView }],
});
