import { defineSessionStore } from '../../common/session';
import { TOKEN_KEYS } from '../../common/storage';

/** Agents and admins may both take chats in the workbench. */
export const useSessionStore = defineSessionStore('agent-session', TOKEN_KEYS.agent, ['agent', 'admin']);
