import { defineQueueStore } from '../../common/queue';
import { useSessionStore } from './session';
import { useAgentStatusStore } from './agentStatus';
import { useConversationsStore } from './conversations';

/** The queues of the agent's teams, refreshed on every routing push the workbench gets (conversation:updated, agent:state). */
export const useQueueStore = defineQueueStore('agent-queue', {
  useSession: useSessionStore,
  changes: () => useAgentStatusStore().routingTick,
  afterJoin: (conversationId) => useConversationsStore().open(conversationId),
  forgetOnStop: true,
});
