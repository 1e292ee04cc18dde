import { ref } from 'vue';
import { defineStore } from 'pinia';

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'warning' | 'error';
  /** What the toast is about (`offer:<conversationId>`, `transfer:<transferId>`, `conversation:<id>`), so it can go when that ends. */
  about?: string;
}

const NOTICE_MS = 8000;

/** The workbench's toasts: any store may post one; each goes away by itself after a few seconds. */
export const useNoticesStore = defineStore('agent-notices', () => {
  const notices = ref<Notice[]>([]);
  let seq = 0;

  function notify(text: string, tone: Notice['tone'] = 'info', about?: string) {
    const id = ++seq;
    notices.value.push({ id, text, tone, ...(about ? { about } : {}) });
    setTimeout(() => dismissNotice(id), NOTICE_MS);
  }

  /** The state a toast was about ended (an offer answered or gone, a transfer answered, a chat closed): it goes at once. */
  function clearAbout(about: string) {
    notices.value = notices.value.filter((n) => n.about !== about);
  }

  function dismissNotice(id: number) {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  return { notices, notify, clearAbout, dismissNotice };
});
