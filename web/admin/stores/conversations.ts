import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { endpoints, type PublicConfig } from '../../common/api';
import { ApiError, errorMessage } from '../../common/errors';
import { createSocket, emitWithAck, type ParleySocket } from '../../common/socket';
import { trackConnection, type ConnectionState } from '../../common/connection';
import { mergeMessages } from '../../common/messageUtils';
import type { ChatMessage } from '../../../domain/messages';
import type { ConversationStatus, ConversationSummary } from '../../../domain/conversation';
import type { Wallboard } from '../../../domain/wallboard';

/** Build the Temporal Web UI address of a conversation's workflow. */
export function temporalWorkflowUrl(config: PublicConfig, workflowId: string): string {
  const base = config.temporalUiUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export const useConversationsStore = defineStore('admin-conversations', () => {
  const session = useSessionStore();

  const config = ref<PublicConfig | null>(null);
  const rows = ref<Record<string, ConversationSummary>>({});
  const statusFilter = ref<ConversationStatus | ''>('');
  const loading = ref(false);
  const error = ref<string | null>(null);
  const connection = ref<ConnectionState>('connecting');
  const flashing = ref<Record<string, number>>({});
  /** Bumped on every conversation:updated push, so views such as the queue can refresh. */
  const changeTick = ref(0);
  /** Transcripts of conversations opened in the detail view, kept live while watched. */
  const transcripts = shallowRef<Record<string, ChatMessage[]>>({});
  const watching = new Set<string>();
  /** Issue 21: the latest live wallboard pushed to admins (the wallboard view reads it). */
  const wallboard = shallowRef<Wallboard | null>(null);
  let socket: ParleySocket | null = null;

  const list = computed(() =>
    Object.values(rows.value)
      .filter((c) => !statusFilter.value || c.status === statusFilter.value)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  );

  function upsert(c: ConversationSummary, flash = false) {
    const prev = rows.value[c.id];
    // Ignore a late echo older than what we already show.
    if (prev && Date.parse(prev.updatedAt) > Date.parse(c.updatedAt)) return;
    rows.value[c.id] = c;
    if (flash) {
      const stamp = Date.now();
      flashing.value[c.id] = stamp;
      setTimeout(() => {
        if (flashing.value[c.id] === stamp) delete flashing.value[c.id];
      }, 1200);
    }
  }

  async function load() {
    loading.value = true;
    error.value = null;
    try {
      const fetched = await endpoints.conversations(session.api, statusFilter.value || undefined);
      const next: Record<string, ConversationSummary> = {};
      for (const c of fetched) next[c.id] = c;
      // Keep live rows of other statuses so switching the filter back is instant; refresh the filtered ones.
      for (const c of Object.values(rows.value)) if (!next[c.id] && statusFilter.value && c.status !== statusFilter.value) next[c.id] = c;
      rows.value = next;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  async function loadConfig() {
    if (config.value) return;
    try {
      config.value = await endpoints.config(session.api);
    } catch {
      config.value = null;
    }
  }

  function addTranscript(id: string, incoming: ChatMessage[]) {
    transcripts.value = { ...transcripts.value, [id]: mergeMessages(transcripts.value[id] ?? [], incoming) };
  }

  async function watchConversation(id: string) {
    watching.add(id);
    try {
      const [summary, history] = await Promise.all([endpoints.conversation(session.api, id), endpoints.messages(session.api, id)]);
      upsert(summary);
      addTranscript(id, history);
      if (socket?.connected) await emitWithAck(socket, 'conversation:watch', { conversationId: id });
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  function unwatchConversation(id: string) {
    watching.delete(id);
  }

  function start() {
    if (socket || !session.user) return;
    void loadConfig();
    void load();
    const s = createSocket();
    socket = s;
    trackConnection(
      s,
      connection,
      () => {
        // Catch up on changes missed while disconnected, and rejoin watched transcripts.
        void load();
        for (const id of watching) void watchConversation(id);
      },
      () => {
        endpoints.me(session.api).then(
          () => setTimeout(() => socket?.connect(), 3000),
          (err) => {
            if (!(err instanceof ApiError && err.isUnauthorized)) setTimeout(() => socket?.connect(), 3000);
          },
        );
      },
    );
    s.on('conversation:updated', (c) => {
      upsert(c, true);
      changeTick.value++;
    });
    s.on('wallboard', (w) => { wallboard.value = w; });
    s.on('message', (m) => {
      if (watching.has(m.conversationId)) addTranscript(m.conversationId, [m]);
    });
  }

  function stop() {
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = null;
    rows.value = {};
    transcripts.value = {};
    watching.clear();
  }

  async function setFilter(status: ConversationStatus | '') {
    statusFilter.value = status;
    await load();
  }

  async function close(id: string) {
    try {
      await endpoints.closeConversation(session.api, id);
      upsert(await endpoints.conversation(session.api, id));
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  return {
    config,
    rows,
    list,
    statusFilter,
    loading,
    error,
    connection,
    flashing,
    changeTick,
    transcripts,
    wallboard,
    start,
    stop,
    load,
    setFilter,
    close,
    watchConversation,
    unwatchConversation,
  };
});
