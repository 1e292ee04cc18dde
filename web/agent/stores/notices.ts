import { ref } from 'vue';
import { defineStore } from 'pinia';

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'warning' | 'error';
}

const NOTICE_MS = 8000;

/** The workbench's toasts: any store may post one; each goes away by itself after a few seconds. */
export const useNoticesStore = defineStore('agent-notices', () => {
  const notices = ref<Notice[]>([]);
  let seq = 0;

  function notify(text: string, tone: Notice['tone'] = 'info') {
    const id = ++seq;
    notices.value.push({ id, text, tone });
    setTimeout(() => dismissNotice(id), NOTICE_MS);
  }

  function dismissNotice(id: number) {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  return { notices, notify, dismissNotice };
});
