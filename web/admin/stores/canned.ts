import { defineCannedStore } from '../../common/canned/cannedStore';
import { useSessionStore } from './session';

/** The organisation's canned responses (admins manage them; every agent uses them). */
export const useCannedStore = defineCannedStore('admin-canned', 'org', () => useSessionStore().api);
