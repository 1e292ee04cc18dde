import { ref, watch, type WatchStopHandle } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { useConversationsStore } from './conversations';
import { endpoints, routingApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { QueueEntry } from '../../common/types';

const POLL_MS = 5000;

/** Every queued conversation (admins see all teams), refreshed on conversation pushes and every few seconds. */
export const useQueueStore = defineStore('admin-queue', () => {
  const session = useSessionStore();
  const conversations = useConversationsStore();

  const entries = ref<QueueEntry[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const busy = ref<Record<string, boolean>>({});
  const rowErrors = ref<Record<string, string>>({});
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopWatch: WatchStopHandle | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;

  async function fetchOnce() {
    loading.value = true;
    try {
      entries.value = await routingApi.queue(session.api);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

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
    stopWatch = watch(() => conversations.changeTick, () => void refresh());
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    stopWatch?.();
    stopWatch = null;
  }

  async function act(conversationId: string, action: () => Promise<unknown>) {
    busy.value[conversationId] = true;
    delete rowErrors.value[conversationId];
    try {
      await action();
      entries.value = entries.value.filter((e) => e.conversationId !== conversationId);
    } catch (err) {
      rowErrors.value[conversationId] = errorMessage(err);
    } finally {
      delete busy.value[conversationId];
      void refresh();
    }
  }

  const assign = (conversationId: string, agentId: string) => act(conversationId, () => routingApi.assign(session.api, conversationId, agentId));
  const join = (conversationId: string) => act(conversationId, () => routingApi.join(session.api, conversationId));
  const close = (conversationId: string) => act(conversationId, () => endpoints.closeConversation(session.api, conversationId));

  return { entries, loading, loaded, error, busy, rowErrors, start, stop, refresh, assign, join, close };
});
