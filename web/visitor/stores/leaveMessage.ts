import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { createApiClient } from '../../common/api';
import { errorMessage } from '../../common/errors';
import { offlineApi } from '../../common/offlineApi';
import { TOKEN_KEYS, tokenStore } from '../../common/storage';
import type { ChatMessage } from '../../../domain/messages';
import type { LeftMessageInput } from '../../../domain/left-messages';
import { useConversationStore } from './conversation';

const WAITING = new Set(['bot', 'queued', 'offered']);

/**
 * Issue 19: the conversation's offer to leave a message (its latest `leave-message` entry, while it still
 * waits for an agent) and sending the form. An offer after a long wait starts folded: the visitor keeps
 * their place unless they open it and send.
 */
export const useLeaveMessageStore = defineStore('leaveMessage', () => {
  const conversation = useConversationStore();
  const api = createApiClient({ tokens: tokenStore(TOKEN_KEYS.visitor) });
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** The wait-limit offer the visitor chose to answer with the form (by message id). */
  const expandedId = ref<string | null>(null);

  const offer = computed<ChatMessage | null>(() => {
    if (!conversation.status || !WAITING.has(conversation.status)) return null;
    for (let i = conversation.messages.length - 1; i >= 0; i--) {
      if (conversation.messages[i].body.kind === 'leave-message') return conversation.messages[i];
    }
    return null;
  });
  const reason = computed(() => (offer.value?.body.kind === 'leave-message' ? offer.value.body.reason : null));
  const formOpen = computed(() => offer.value !== null && (reason.value !== 'waitLimit' || expandedId.value === offer.value.id));

  function expand() {
    if (offer.value) expandedId.value = offer.value.id;
  }
  function fold() {
    expandedId.value = null;
  }

  async function send(input: LeftMessageInput) {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      const res = await offlineApi.leaveMessage(api, input);
      conversation.applySummary(res.conversation);
      await conversation.refresh();
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      busy.value = false;
    }
  }

  return { offer, reason, formOpen, busy, error, expand, fold, send };
});
