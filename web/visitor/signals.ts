import { ref } from 'vue';
import { emitWithAck, type ParleySocket } from '../common/socket';
import { TYPING_SHOW_MS } from '../common/typing';
import type { ChatMessage } from '../../domain/messages';
import type { TypingEvent } from '../../domain/contracts/events';
import { TYPING_PREVIEW_MAX } from '../common/composerLimits';

/**
 * The visitor's typing and receipts: shows the agent's typing, sends the visitor's own (with a preview only
 * once the desk's answer asked for one), and tells the desk which messages reached this page (delivered)
 * and which were on screen while the page was visible and focused (read).
 */
export function visitorSignals() {
  const agentTyping = ref<{ name: string | null } | null>(null);
  let socket: ParleySocket | null = null;
  let previewWanted = false;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let receiptTimer: ReturnType<typeof setTimeout> | undefined;
  let conversationId: string | null = null;
  let newest = 0;
  const sent = { delivered: 0, read: 0 };

  const seen = () => typeof document !== 'undefined' && document.visibilityState === 'visible' && document.hasFocus();

  function flushReceipt() {
    receiptTimer = undefined;
    if (!socket?.connected || !conversationId) return;
    const read = seen() ? newest : sent.read;
    if (newest <= sent.delivered && read <= sent.read) return;
    const payload = { conversationId, deliveredSeq: newest, ...(read > sent.read ? { readSeq: read } : {}) };
    sent.delivered = newest;
    sent.read = Math.max(sent.read, read);
    emitWithAck(socket, 'visitor:receipt', payload).catch(() => {
      sent.delivered = 0; // try again with the next message or focus
    });
  }
  const scheduleReceipt = () => {
    receiptTimer ??= setTimeout(flushReceipt, 300);
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('focus', scheduleReceipt);
    document.addEventListener('visibilitychange', scheduleReceipt);
  }

  function onTyping(t: TypingEvent) {
    if (t.from !== 'agent' || t.conversationId !== conversationId) return;
    clearTimeout(hideTimer);
    agentTyping.value = t.typing ? { name: t.name } : null;
    if (t.typing) hideTimer = setTimeout(() => { agentTyping.value = null; }, TYPING_SHOW_MS);
  }

  return {
    agentTyping,
    attach(s: ParleySocket) {
      socket = s;
      s.on('typing', onTyping);
      s.on('connect', scheduleReceipt);
    },
    /** Messages of the conversation arrived (history or live). */
    received(id: string, messages: readonly ChatMessage[]) {
      if (id !== conversationId) {
        conversationId = id;
        newest = 0;
        sent.delivered = 0;
        sent.read = 0;
        agentTyping.value = null;
      }
      for (const m of messages) {
        newest = Math.max(newest, m.seq);
        if (m.sender === 'agent') agentTyping.value = null;
      }
      scheduleReceipt();
    },
    typing(state: boolean, text: string) {
      if (!socket?.connected) return;
      const preview = previewWanted && state ? text.slice(0, TYPING_PREVIEW_MAX) : undefined;
      emitWithAck(socket, 'visitor:typing', { typing: state, ...(preview ? { preview } : {}) })
        .then((res) => { previewWanted = res.preview; }, () => undefined);
    },
  };
}
