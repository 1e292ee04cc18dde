import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { useSocketStore } from './socket';
import { useConversationsStore } from './conversations';
import { useNoticesStore } from './notices';
import { NOTES_TEXTS } from '../../common/labels';
import { operations } from '../../../client/operations';
import { uuid } from '../../common/uuid';
import type { NoteMentionEvent } from '../../../domain/notes';

/**
 * Private notes (issue 18): writing one in a conversation (its ack is merged into the transcript like a
 * message), and the mentions of this agent: pushed live (`note:mention`) and loaded after a reload.
 */
export const useNotesStore = defineStore('agent-notes', () => {
  const session = useSessionStore();
  const socket = useSocketStore();
  const conversations = useConversationsStore();
  const notices = useNoticesStore();
  const mentions = ref<NoteMentionEvent[]>([]);
  const sending = ref(false);

  async function load() {
    try {
      mentions.value = (await session.api.rest.call(operations.listMentions)).mentions.slice(0, 20);
    } catch {
      /* a convenience: live mentions still arrive */
    }
  }

  function mentioned(m: NoteMentionEvent) {
    if (mentions.value.some((x) => x.messageId === m.messageId)) return;
    mentions.value = [m, ...mentions.value].slice(0, 20);
    notices.notify(NOTES_TEXTS.mentioned(m.authorName, m.visitorName));
  }

  function dismiss(messageId: string) {
    mentions.value = mentions.value.filter((m) => m.messageId !== messageId);
  }

  /** Throws with the server's message when refused (the composer shows it and keeps the text). */
  async function add(conversationId: string, text: string) {
    sending.value = true;
    try {
      const { message } = await socket.emit('agent:note', { conversationId, clientId: uuid(), text });
      conversations.messageReceived(message);
    } finally {
      sending.value = false;
    }
  }

  function reset() {
    mentions.value = [];
  }

  return { mentions, sending, load, mentioned, dismiss, add, reset };
});
