import { ref, watch } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { useSocketStore } from './socket';
import { useConversationsStore } from './conversations';
import { composerApi } from '../../common/api';
import { draftKey, draftStore } from '../../common/drafts';
import { TYPING_SHOW_MS } from '../../common/typing';
import type { ChatMessage } from '../../../domain/messages';
import type { ReceiptEvent, TypingEvent } from '../../../domain/contracts/events';

interface VisitorTyping { name: string | null; preview?: string }

/**
 * The workbench's side of writing and reading: who is typing in each conversation (with the desk's optional
 * preview), the visitor's delivery/read position (ticks), the agent's own read position (unread counts that
 * survive a reload), the agent's typing events, and drafts (cleared when a conversation closes).
 */
export const useComposerStore = defineStore('agent-composer', () => {
  const session = useSessionStore();
  const socket = useSocketStore();
  const conversations = useConversationsStore();
  const drafts = draftStore();

  const typing = ref<Record<string, VisitorTyping>>({});
  const receipts = ref<Record<string, { deliveredSeq: number; readSeq: number }>>({});
  const myRead: Record<string, number> = {};
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const readTimers = new Map<string, ReturnType<typeof setTimeout>>();

  const draftKeyOf = (conversationId: string) => draftKey(session.user?.id ?? 'agent', conversationId);

  function clearTyping(conversationId: string) {
    clearTimeout(typingTimers.get(conversationId));
    typingTimers.delete(conversationId);
    delete typing.value[conversationId];
  }

  /** Only the visitor's typing is shown here (an agent's own, or a colleague's, is not). */
  function typingReceived(t: TypingEvent) {
    if (t.from !== 'visitor') return;
    if (!t.typing) return clearTyping(t.conversationId);
    typing.value[t.conversationId] = { name: t.name, ...(t.preview ? { preview: t.preview } : {}) };
    clearTimeout(typingTimers.get(t.conversationId));
    typingTimers.set(t.conversationId, setTimeout(() => clearTyping(t.conversationId), TYPING_SHOW_MS));
  }

  function receiptReceived(r: ReceiptEvent) {
    const known = receipts.value[r.conversationId];
    receipts.value[r.conversationId] = {
      deliveredSeq: Math.max(known?.deliveredSeq ?? 0, r.deliveredSeq), readSeq: Math.max(known?.readSeq ?? 0, r.readSeq),
    };
  }

  /** The visitor sent what they were typing. */
  function messageReceived(m: ChatMessage) {
    if (m.sender === 'visitor') clearTyping(m.conversationId);
  }

  function sendTyping(conversationId: string, state: boolean) {
    if (!conversations.canWrite(conversationId)) return;
    socket.emit('agent:typing', { conversationId, typing: state }).catch(() => undefined); // best effort
  }

  /** Marks the conversation read up to `seq` (debounced; only forward). */
  function markRead(conversationId: string, seq: number) {
    if (seq <= (myRead[conversationId] ?? 0)) return;
    myRead[conversationId] = seq;
    clearTimeout(readTimers.get(conversationId));
    readTimers.set(conversationId, setTimeout(() => {
      readTimers.delete(conversationId);
      socket.emit('agent:read', { conversationId, readSeq: seq }).catch(() => undefined);
    }, 400));
  }

  const newestSeq = (conversationId: string) => conversations.messages[conversationId]?.at(-1)?.seq ?? 0;
  const visible = () => typeof document === 'undefined' || document.visibilityState === 'visible';

  /** After a (re)load: the ticks, and the unread count from the agent's stored read position. */
  async function loadReceipts(conversationId: string) {
    try {
      const r = await composerApi.receipts(session.api, conversationId);
      receiptReceived({ conversationId, deliveredSeq: r.visitorDeliveredSeq, readSeq: r.visitorReadSeq });
      myRead[conversationId] = Math.max(myRead[conversationId] ?? 0, r.myReadSeq);
      if (conversationId === conversations.activeId) return;
      const unread = (conversations.messages[conversationId] ?? []).filter((m) => m.seq > myRead[conversationId] && m.sender !== 'agent').length;
      if (unread > 0) conversations.unread[conversationId] = unread;
      else delete conversations.unread[conversationId];
    } catch {
      /* ticks and counts are a convenience; the transcript is what matters */
    }
  }

  // A conversation whose transcript just arrived: load its receipts once.
  const loaded = new Set<string>();
  watch(() => Object.keys(conversations.messages), (ids) => {
    for (const id of ids) {
      if (loaded.has(id)) continue;
      loaded.add(id);
      void loadReceipts(id);
    }
    for (const id of loaded) if (!ids.includes(id)) loaded.delete(id);
  });

  // What the agent has on screen is read.
  const readActive = () => {
    const id = conversations.activeId;
    if (id && visible()) markRead(id, newestSeq(id));
  };
  watch(() => [conversations.activeId, conversations.activeId ? newestSeq(conversations.activeId) : 0], readActive);
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', readActive);

  // A closed conversation's draft is of no more use.
  watch(() => Object.values(conversations.conversations).filter((c) => c.status === 'rating' || c.status === 'ended').map((c) => c.id), (closed) => {
    for (const id of closed) drafts.clear(draftKeyOf(id));
  });

  /** Signing out: this agent's drafts go too (a shared computer keeps no half-written replies). */
  function forgetDrafts() {
    if (session.user) drafts.clearOwner(session.user.id);
  }

  function reset() {
    for (const t of typingTimers.values()) clearTimeout(t);
    for (const t of readTimers.values()) clearTimeout(t);
    typingTimers.clear();
    readTimers.clear();
    typing.value = {};
    receipts.value = {};
    loaded.clear();
    for (const k of Object.keys(myRead)) delete myRead[k];
  }

  return { typing, receipts, draftKeyOf, typingReceived, receiptReceived, messageReceived, sendTyping, markRead, forgetDrafts, reset };
});
