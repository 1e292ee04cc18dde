import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { useSocketStore } from './socket';
import { useAgentStatusStore } from './agentStatus';
import { useNoticesStore } from './notices';
import { blacklistApi, endpoints } from '../../common/api';
import { ApiError, errorMessage } from '../../common/errors';
import { mergeMessages, prunePending, type PendingMessage } from '../../common/messageUtils';
import { uuid } from '../../common/uuid';
import { CONVERSATION_STATUS_LABELS, WORKBENCH_TEXTS } from '../../common/labels';
import type { ChatMessage } from '../../../domain/messages';
import type { ConversationSummary } from '../../../domain/conversation';

/**
 * The agent's conversations: the list (held, then closed or handed over), their transcripts with pending sends
 * and unread counts, the one shown, and what the agent does in it (send, close, block the visitor).
 */
export const useConversationsStore = defineStore('agent-conversations', () => {
  const session = useSessionStore();
  const socket = useSocketStore();
  const agent = useAgentStatusStore();
  const notices = useNoticesStore();

  const conversations = ref<Record<string, ConversationSummary>>({});
  /** Conversation ids in the order they joined the list. */
  const order = ref<string[]>([]);
  const messages = shallowRef<Record<string, ChatMessage[]>>({});
  const pending = ref<Record<string, PendingMessage[]>>({});
  const unread = ref<Record<string, number>>({});
  const activeId = ref<string | null>(null);
  /**
   * Conversations that left this agent (transferred away, taken back). The server no longer lets us read them
   * (403), so their last known row may still name us: this keeps them out of "My conversations".
   */
  const released = ref<Record<string, true>>({});
  let watched = new Set<string>();
  const tracking = new Map<string, Promise<void>>();
  /** Asked to be shown (a transfer accepted, a moved conversation) before they could be read. */
  const openWhenReady = new Set<string>();

  const me = computed(() => session.user?.id ?? null);
  const active = computed(() => (activeId.value ? conversations.value[activeId.value] ?? null : null));
  const list = computed(() => order.value.map((id) => conversations.value[id]).filter((c): c is ConversationSummary => Boolean(c)));
  const held = computed(() => list.value.filter((c) => isHeld(c)));
  const finished = computed(() => list.value.filter((c) => !isHeld(c)));

  function isHeld(c: ConversationSummary) {
    return agent.heldIds.has(c.id) || (c.status === 'assigned' && c.agentId === me.value && !released.value[c.id]);
  }

  /** The status to show: a conversation handed to someone else is "Handed over" while it is still open. */
  function statusLabel(c: ConversationSummary): string {
    if (released.value[c.id] && !isHeld(c) && c.status !== 'rating' && c.status !== 'ended') return WORKBENCH_TEXTS.handedOver;
    return CONVERSATION_STATUS_LABELS[c.status] ?? c.status;
  }

  function canWrite(id: string) {
    const c = conversations.value[id];
    return Boolean(c && c.status === 'assigned' && isHeld(c) && socket.connection === 'connected');
  }

  function visitorOf(conversationId: string): string {
    return conversations.value[conversationId]?.visitorName ?? WORKBENCH_TEXTS.someVisitor;
  }

  function upsert(c: ConversationSummary) {
    conversations.value[c.id] = c;
    if (!order.value.includes(c.id)) order.value.push(c.id);
  }

  /** The server's row names us as the serving agent: the conversation can be read. */
  function namesMe(c: ConversationSummary | undefined) {
    return Boolean(c && c.agentId === me.value && c.status === 'assigned');
  }

  function refreshRow(id: string) {
    endpoints.conversation(session.api, id).then(upsert, () => undefined);
  }

  function addMessages(conversationId: string, incoming: ChatMessage[], live = false) {
    if (incoming.length === 0) return;
    const before = messages.value[conversationId] ?? [];
    const merged = mergeMessages(before, incoming);
    messages.value = { ...messages.value, [conversationId]: merged };
    if (pending.value[conversationId]) pending.value[conversationId] = prunePending(pending.value[conversationId], merged);
    if (live && conversationId !== activeId.value) {
      const known = new Set(before.map((m) => m.id));
      const fresh = incoming.filter((m) => !known.has(m.id) && m.sender !== 'agent').length;
      if (fresh > 0) unread.value[conversationId] = (unread.value[conversationId] ?? 0) + fresh;
    }
  }

  /**
   * Make sure a conversation is in the list, subscribed to on this connection, and its history loaded. Call it
   * only once the server records the conversation as ours (a `conversation:updated` naming us, the accept's
   * answer, or the list of assigned conversations): the desk's `agent:state` comes first, and reading the
   * conversation then is refused (403). A refusal is still retried briefly, for safety.
   */
  function track(id: string): Promise<void> {
    const running = tracking.get(id);
    if (running) return running; // callers (agent:state, join, accept) all wait for the same load
    if (!socket.isOpen() || watched.has(id)) return Promise.resolve();
    watched.add(id);
    const p = load(id).finally(() => tracking.delete(id));
    tracking.set(id, p);
    return p;
  }

  async function load(id: string) {
    const delays = [300, 700, 1500, 3000];
    for (let attempt = 0; ; attempt++) {
      if (!socket.isOpen()) return;
      try {
        const [summary] = await Promise.all([
          endpoints.conversation(session.api, id),
          socket.emit('conversation:watch', { conversationId: id }),
        ]);
        upsert(summary);
        addMessages(id, await endpoints.messages(session.api, id));
        return;
      } catch (err) {
        const transient = err instanceof ApiError && (err.code === 'forbidden' || err.code === 'not_found' || err.code === 'timeout');
        if (transient && attempt < delays.length) {
          await new Promise((r) => setTimeout(r, delays[attempt]));
          continue;
        }
        watched.delete(id);
        notices.notify(WORKBENCH_TEXTS.couldNotOpen(errorMessage(err)), 'error');
        return;
      }
    }
  }

  /** On (re)connect: resubscribe to everything held, and pick up held conversations the server lists. */
  async function resync() {
    watched = new Set();
    const ids = new Set<string>();
    for (const c of list.value) if (isHeld(c) && namesMe(c)) ids.add(c.id);
    try {
      const assigned = await endpoints.conversations(session.api, 'assigned');
      for (const c of assigned) if (c.agentId === me.value) ids.add(c.id);
    } catch {
      // Without the list, agent:state is all there is (a read that comes too early is retried).
      for (const id of agent.agentState?.conversationIds ?? []) ids.add(id);
    }
    await Promise.all([...ids].map((id) => track(id)));
  }

  /** A new agent state: follow what we now hold; conversations that left us (closed, transferred away) get their row refreshed to show why. */
  function heldChanged(now: string[], previous: string[]) {
    for (const id of now) {
      delete released.value[id];
      // Not read yet: the `conversation:updated` naming us follows and loads it (conversationUpdated).
      if (namesMe(conversations.value[id])) void track(id);
    }
    // Gone from us: a close shows through its own conversation:updated; one handed over can no longer be read.
    for (const id of previous) if (!now.includes(id)) release(id);
  }

  /** A conversation was handed to someone else (a transfer went through); if it comes back, it is loaded again. */
  function release(id: string) {
    released.value[id] = true;
    openWhenReady.delete(id);
    watched.delete(id);
  }

  function messageReceived(m: ChatMessage) {
    // Not for conversations handed to someone else: their transcript is no longer ours to follow.
    if (released.value[m.conversationId] && !agent.heldIds.has(m.conversationId)) return;
    if (conversations.value[m.conversationId] || watched.has(m.conversationId)) addMessages(m.conversationId, [m], true);
  }

  function conversationUpdated(c: ConversationSummary) {
    if (conversations.value[c.id]) upsert(c);
    if (c.status === 'rating' || c.status === 'ended') {
      // A closed chat's toasts (a message, a mention) are stale now.
      notices.clearAbout(`conversation:${c.id}`);
      notices.clearAbout(`mention:${c.id}`);
    }
    if (!namesMe(c)) return;
    const wanted = openWhenReady.delete(c.id);
    void track(c.id).then(() => {
      if (wanted && conversations.value[c.id]) select(c.id);
    });
  }

  function select(id: string | null) {
    activeId.value = id;
    if (id) delete unread.value[id];
  }

  /** Bring a conversation into the list (it may have just become ours) and show it, as soon as the server records it as ours. */
  async function open(id: string) {
    if (!namesMe(conversations.value[id]) && !watched.has(id)) {
      openWhenReady.add(id);
      return;
    }
    await track(id);
    if (conversations.value[id]) select(id);
  }

  async function deliver(conversationId: string, p: PendingMessage) {
    p.state = 'sending';
    p.error = undefined;
    try {
      const res = await socket.emit('agent:message', { conversationId, clientId: p.clientId, text: p.text });
      addMessages(conversationId, [res.message]);
    } catch (err) {
      const entry = pending.value[conversationId]?.find((x) => x.clientId === p.clientId);
      if (entry) {
        entry.state = 'failed';
        entry.error = errorMessage(err);
      }
    }
  }

  function send(conversationId: string, text: string) {
    if (!canWrite(conversationId)) return;
    if (!pending.value[conversationId]) pending.value[conversationId] = [];
    const queue = pending.value[conversationId]; // read back through the reactive proxy
    queue.push({ clientId: uuid(), conversationId, text, state: 'sending', createdAt: new Date().toISOString() });
    void deliver(conversationId, queue[queue.length - 1]);
  }

  function retry(conversationId: string, clientId: string) {
    const p = pending.value[conversationId]?.find((x) => x.clientId === clientId);
    if (p) void deliver(conversationId, p);
  }

  async function close(conversationId: string) {
    try {
      await socket.emit('agent:close', { conversationId });
      if (conversations.value[conversationId]) refreshRow(conversationId);
    } catch (err) {
      notices.notify(WORKBENCH_TEXTS.couldNotClose(errorMessage(err)), 'error');
    }
  }

  /** Block the visitor of a conversation I serve; the server ends their open conversations. */
  async function blockVisitor(conversationId: string, reason: string) {
    const c = conversations.value[conversationId];
    if (!c) throw new ApiError('not_found', WORKBENCH_TEXTS.conversationNotFound);
    const res = await blacklistApi.block(session.api, c.visitorId, reason);
    notices.notify(WORKBENCH_TEXTS.blocked(c.visitorName, res.closed));
    refreshRow(conversationId);
    return res;
  }

  /** Remove a finished conversation from the list. */
  function dismiss(id: string) {
    order.value = order.value.filter((x) => x !== id);
    delete conversations.value[id];
    const rest = { ...messages.value };
    delete rest[id];
    messages.value = rest;
    delete pending.value[id];
    delete unread.value[id];
    watched.delete(id);
    if (activeId.value === id) activeId.value = null;
  }

  function reset() {
    watched = new Set();
    tracking.clear();
    openWhenReady.clear();
    conversations.value = {};
    order.value = [];
    messages.value = {};
    pending.value = {};
    unread.value = {};
    activeId.value = null;
    released.value = {};
  }

  return {
    conversations, messages, pending, unread, activeId, active, held, finished,
    isHeld, statusLabel, canWrite, visitorOf,
    track, resync, heldChanged, release, messageReceived, conversationUpdated,
    select, open, send, retry, close, blockVisitor, dismiss, reset,
    /** Re-reads the rows of a visitor's conversations (their name changed in the details panel). */
    refreshVisitor: (visitorId: string) => {
      for (const c of Object.values(conversations.value)) if (c.visitorId === visitorId) refreshRow(c.id);
    },
  };
});
