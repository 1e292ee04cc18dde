import { defineSessionStore } from '../../common/session';

/** Agents and admins may both take chats in the workbench. */
export const useSessionStore = defineSessionStore('agent-session', ['agent', 'admin']);
