import { defineSessionStore } from '../../common/session';

export const useSessionStore = defineSessionStore('admin-session', ['admin']);
