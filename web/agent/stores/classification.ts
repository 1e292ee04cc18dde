import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { operations } from '../../../client/operations';
import type { CallReason, Classification, ClassificationInput, ClosingSettings, Tag } from '../../../domain/classification';

/** Issue 18: the desk's tags, call reasons and closing rules, and each conversation's classification. */
export const useClassificationStore = defineStore('agent-classification', () => {
  const session = useSessionStore();
  const tags = ref<Tag[]>([]);
  const callReasons = ref<CallReason[]>([]);
  const rules = ref<ClosingSettings>({ tagRequired: false, callReasonRequired: false });
  const byConversation = ref<Record<string, Classification>>({});
  let listsLoaded: Promise<void> | null = null;

  /** The lists and rules, once per session (and again on demand). */
  function loadLists(force = false): Promise<void> {
    if (!listsLoaded || force) {
      listsLoaded = (async () => {
        const call = session.api.rest.call;
        const [t, r, c] = await Promise.all([
          call(operations.listTags, { params: {} }), call(operations.listCallReasons, { params: {} }), call(operations.getClosingSettings),
        ]);
        tags.value = t.tags;
        callReasons.value = r.callReasons;
        rules.value = c;
      })().catch((err: unknown) => {
        listsLoaded = null;
        throw err;
      });
    }
    return listsLoaded;
  }

  async function load(conversationId: string): Promise<Classification> {
    const c = await session.api.rest.call(operations.getClassification, { params: { id: conversationId } });
    byConversation.value[conversationId] = c;
    return c;
  }

  async function save(conversationId: string, change: ClassificationInput): Promise<Classification> {
    const c = await session.api.rest.call(operations.setClassification, { params: { id: conversationId }, body: change });
    byConversation.value[conversationId] = c;
    return c;
  }

  function classified(c: Classification) {
    byConversation.value[c.conversationId] = c;
  }

  function reset() {
    byConversation.value = {};
    listsLoaded = null;
  }

  return { tags, callReasons, rules, byConversation, loadLists, load, save, classified, reset };
});
