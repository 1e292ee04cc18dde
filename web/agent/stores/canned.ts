import { defineCannedStore } from '../../common/canned/cannedStore';
import { useSessionStore } from './session';

/** The signed-in agent's own canned responses. */
export const useMyCannedStore = defineCannedStore('agent-canned', 'personal', () => useSessionStore().api);
