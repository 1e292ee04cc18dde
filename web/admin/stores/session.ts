import { defineSessionStore } from '../../common/session';
import { TOKEN_KEYS } from '../../common/storage';

export const useSessionStore = defineSessionStore('admin-session', TOKEN_KEYS.admin, ['admin']);
