import { defineQueueStore } from '../../common/queue';
import { useSessionStore } from './session';
import { useConversationsStore } from './conversations';

/** Every queued conversation (admins see all teams), refreshed on conversation pushes. */
export const useQueueStore = defineQueueStore('admin-queue', {
  useSession: useSessionStore,
  changes: () => useConversationsStore().changeTick,
});
