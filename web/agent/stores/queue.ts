import { ref, watch, type WatchStopHandle } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { useAgentStatusStore } from './agentStatus';
import { useConversationsStore } from './conversations';
import { routingApi } from '../../common/api';
import { ApiError, errorMessage } from '../../common/errors';
import type { QueueEntry } from '../../common/types';

const POLL_MS = 5000;

/**
 * The queues of the agent's teams (GET /api/queue). Refreshed on every routing push the workbench socket gets
 * (conversation:updated, agent:state) and every few seconds, since agents are not told about other queues' moves.
 */
export const useQueueStore = defineStore('agent-queue', () => {
  const session = useSessionStore();
  const agent = useAgentStatusStore();
  const conversations = useConversationsStore();

  const entries = ref<QueueEntry[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const joining = ref<Record<string, boolean>>({});
  /** Why the last join failed (e.g. the desk does not let agents take queued chats by hand). */
  const joinError = ref<{ conversationId: string; message: string } | null>(null);

  let timer: ReturnType<typeof setInterval> | null = null;
  let stopWatch: WatchStopHandle | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;

  async function fetchOnce() {
    loading.value = true;
    try {
      entries.value = await routingApi.queue(session.api);
      error.value = null;
      loaded.value = true;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  /** Coalesces bursts of pushes into at most one request in flight plus one after it. */
  function refresh(): Promise<void> {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await fetchOnce();
      } while (again);
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function start() {
    if (timer) return;
    void refresh();
    timer = setInterval(() => void refresh(), POLL_MS);
    stopWatch = watch(() => agent.routingTick, () => void refresh());
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    stopWatch?.();
    stopWatch = null;
    entries.value = [];
    loaded.value = false;
    error.value = null;
    joinError.value = null;
  }

  /** POST /api/conversations/:id/join: take a waiting conversation by hand, if the desk allows it. */
  async function join(conversationId: string) {
    joining.value[conversationId] = true;
    joinError.value = null;
    try {
      await routingApi.join(session.api, conversationId);
      entries.value = entries.value.filter((e) => e.conversationId !== conversationId);
      await conversations.open(conversationId);
    } catch (err) {
      const message = err instanceof ApiError && err.status === 403 ? `Not allowed: ${err.message}` : errorMessage(err);
      joinError.value = { conversationId, message };
    } finally {
      delete joining.value[conversationId];
      void refresh();
    }
  }

  return { entries, loading, loaded, error, joining, joinError, start, stop, refresh, join };
});
