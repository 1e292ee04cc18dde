import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { historyApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { VisitorConversations } from '../../common/types';

type Entry = VisitorConversations['conversations'][number];

/** Each visitor's earlier conversations, loaded once per visitor when their chat is open (the context panel's list). */
export const useVisitorHistoryStore = defineStore('agent-visitor-history', () => {
  const session = useSessionStore();
  const byVisitor = ref<Record<string, Entry[]>>({});
  const errors = ref<Record<string, string>>({});
  const loading = ref<Record<string, boolean>>({});

  async function load(visitorId: string, force = false) {
    if (loading.value[visitorId] || (!force && byVisitor.value[visitorId])) return;
    loading.value[visitorId] = true;
    try {
      byVisitor.value[visitorId] = await historyApi.visitorConversations(session.api, visitorId);
      delete errors.value[visitorId];
    } catch (err) {
      errors.value[visitorId] = errorMessage(err);
    } finally {
      loading.value[visitorId] = false;
    }
  }

  function reset() {
    byVisitor.value = {};
    errors.value = {};
    loading.value = {};
  }

  return { byVisitor, errors, loading, load, reset };
});
