import { ref, watch, type WatchStopHandle } from 'vue';
import { defineStore } from 'pinia';
import { endpoints, routingApi, type ApiClient } from './api';
import { ApiError, errorMessage } from './errors';
import { QUEUE_TEXTS } from './labels';
import { useLoadState } from './loadState';
import type { QueueEntry } from './types';

const POLL_MS = 5000;

export interface QueueStoreOptions {
  useSession: () => { api: ApiClient };
  /** A counter the app's socket owner bumps on every push that may move the queue; the list refreshes on it. */
  changes: () => number;
  /** After a join went through (the workbench opens the conversation). */
  afterJoin?: (conversationId: string) => Promise<unknown>;
  /** Forget the list when the view stops (the workbench: the next one may be signed in as someone else). */
  forgetOnStop?: boolean;
}

/**
 * Queued conversations (GET /api/queue: an agent sees their teams' queues, an admin all), refreshed on the app's
 * pushes and every few seconds, since nobody is told about every queue move. Each app defines one with its options.
 */
export function defineQueueStore(id: string, options: QueueStoreOptions) {
  return defineStore(id, () => {
    const session = options.useSession();

    const entries = ref<QueueEntry[]>([]);
    const { loading, loaded, error, load: fetchOnce } = useLoadState(entries, () => routingApi.queue(session.api));
    /** Rows with an action under way, and why a row's last action failed. */
    const busy = ref<Record<string, boolean>>({});
    const rowErrors = ref<Record<string, string>>({});
    let timer: ReturnType<typeof setInterval> | null = null;
    let stopWatch: WatchStopHandle | null = null;
    let inFlight: Promise<void> | null = null;
    let again = false;

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
      stopWatch = watch(options.changes, () => void refresh());
    }

    function stop() {
      if (timer) clearInterval(timer);
      timer = null;
      stopWatch?.();
      stopWatch = null;
      if (options.forgetOnStop) {
        entries.value = [];
        loaded.value = false;
        error.value = null;
        rowErrors.value = {};
      }
    }

    async function act(conversationId: string, action: () => Promise<unknown>, then?: () => Promise<unknown>) {
      busy.value[conversationId] = true;
      delete rowErrors.value[conversationId];
      try {
        await action();
        entries.value = entries.value.filter((e) => e.conversationId !== conversationId);
        await then?.();
      } catch (err) {
        // e.g. the desk does not let agents take queued chats by hand
        rowErrors.value[conversationId] = err instanceof ApiError && err.status === 403 ? QUEUE_TEXTS.notAllowed(err.message) : errorMessage(err);
      } finally {
        delete busy.value[conversationId];
        void refresh();
      }
    }

    /** POST /api/conversations/:id/join: take a waiting conversation by hand (admins always, agents if the desk allows it). */
    function join(conversationId: string) {
      const { afterJoin } = options;
      return act(conversationId, () => routingApi.join(session.api, conversationId), afterJoin && (() => afterJoin(conversationId)));
    }
    /** The console's actions. */
    const assign = (conversationId: string, agentId: string) => act(conversationId, () => routingApi.assign(session.api, conversationId, agentId));
    const close = (conversationId: string) => act(conversationId, () => endpoints.closeConversation(session.api, conversationId));

    return { entries, loading, loaded, error, busy, rowErrors, start, stop, refresh, join, assign, close };
  });
}
