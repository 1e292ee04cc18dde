import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { agentsApi, blacklistApi, endpoints } from '../../common/api';
import { ApiError, errorMessage } from '../../common/errors';
import { createSocket, emitWithAck, type ParleySocket } from '../../common/socket';
import { trackConnection, type ConnectionState } from '../../common/connection';
import { mergeMessages, prunePending, type PendingMessage } from '../../common/messageUtils';
import { uuid } from '../../common/uuid';
import { CONVERSATION_STATUS_LABELS } from '../../common/labels';
import type { AgentStatus } from '../../../shared/agents';
import type { ChatMessage } from '../../../shared/messages';
import type { ConversationSummary } from '../../../shared/conversation';
import type { AgentStateEvent, OfferEvent, TransferRequestEvent, TransferResultEvent } from '../../../shared/events';
import type { TransferAnswer } from '../../common/types';

export type TransferTarget = { toAgentId: string } | { toTeamId: string };

/** A transfer this agent asked for, per conversation: what the server answered, then how it ended. */
export interface OutgoingTransfer {
  transferId: string;
  conversationId: string;
  outcome: TransferAnswer['outcome'] | TransferResultEvent['outcome'];
  /** Who or where it goes, as the agent chose it (a name for display). */
  targetLabel: string;
  toAgentName: string | null;
  expiresAt: string | null;
}

/**
 * The `agent:transfer` ack carries the dispatcher's answer (docs/socket-events.md), but shared/events.ts types it
 * as `{ transferId }` only; read the rest defensively.
 */
function transferAnswerOf(ack: { transferId: string } & Record<string, unknown>): TransferAnswer {
  const outcome = ack.outcome === 'moved' || ack.outcome === 'queued' || ack.outcome === 'pending' ? ack.outcome : 'pending';
  return {
    transferId: ack.transferId,
    outcome,
    toAgentId: typeof ack.toAgentId === 'string' ? ack.toAgentId : null,
    expiresAt: typeof ack.expiresAt === 'string' ? ack.expiresAt : null,
  };
}

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'warning' | 'error';
}

const REVOKE_REASONS = { expired: 'expired', taken: 'was taken by another agent', closed: 'was closed by the visitor' } as const;

export const useWorkbenchStore = defineStore('workbench', () => {
  const session = useSessionStore();

  const connection = ref<ConnectionState>('connecting');
  const agentState = ref<AgentStateEvent | null>(null);
  const offers = ref<OfferEvent[]>([]);
  const busyOffers = ref<Record<string, boolean>>({});
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
  const transferRequests = ref<TransferRequestEvent[]>([]);
  const answeringTransfers = ref<Record<string, boolean>>({});
  /** Transfers I answered, so their result can be told from my point of view. */
  const answeredTransfers = new Map<string, boolean>();
  const outgoing = ref<Record<string, OutgoingTransfer>>({});
  /** Conversations with an `agent:transfer` not yet acknowledged, and results that overtook their ack. */
  const requesting = new Set<string>();
  const earlyResults = new Map<string, TransferResultEvent>();
  /** The reason given with the last `away` status (the server does not echo it back). */
  const breakReason = ref<string | null>(null);
  /** Bumped on every routing-relevant push (conversation:updated, agent:state) so the queue can refresh. */
  const routingTick = ref(0);
  const notices = ref<Notice[]>([]);
  let socket: ParleySocket | null = null;
  let watched = new Set<string>();
  const tracking = new Map<string, Promise<void>>();
  let noticeSeq = 0;

  const me = computed(() => session.user?.id ?? null);
  const heldIds = computed(() => new Set(agentState.value?.conversationIds ?? []));
  const status = computed<AgentStatus | null>(() => agentState.value?.status ?? null);
  const active = computed(() => (activeId.value ? conversations.value[activeId.value] ?? null : null));
  const list = computed(() => order.value.map((id) => conversations.value[id]).filter((c): c is ConversationSummary => Boolean(c)));
  const held = computed(() => list.value.filter((c) => isHeld(c)));
  const finished = computed(() => list.value.filter((c) => !isHeld(c)));

  function isHeld(c: ConversationSummary) {
    return heldIds.value.has(c.id) || (c.status === 'assigned' && c.agentId === me.value && !released.value[c.id]);
  }

  /** The status to show: a conversation handed to someone else is "Handed over" while it is still open. */
  function statusLabel(c: ConversationSummary): string {
    if (released.value[c.id] && !isHeld(c) && c.status !== 'rating' && c.status !== 'ended') return 'Handed over';
    return CONVERSATION_STATUS_LABELS[c.status] ?? c.status;
  }

  function canWrite(id: string) {
    const c = conversations.value[id];
    return Boolean(c && c.status === 'assigned' && isHeld(c) && connection.value === 'connected');
  }

  function notify(text: string, tone: Notice['tone'] = 'info') {
    const id = ++noticeSeq;
    notices.value.push({ id, text, tone });
    setTimeout(() => dismissNotice(id), 8000);
  }

  function dismissNotice(id: number) {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  function upsert(c: ConversationSummary) {
    conversations.value[c.id] = c;
    if (!order.value.includes(c.id)) order.value.push(c.id);
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
   * Make sure a conversation is in the list, subscribed to on this connection, and its history loaded.
   * Right after an accept the projection may not show us as the agent yet (403), so retry briefly.
   */
  function track(id: string): Promise<void> {
    const running = tracking.get(id);
    if (running) return running; // callers (agent:state, join, accept) all wait for the same load
    if (!socket || watched.has(id)) return Promise.resolve();
    watched.add(id);
    const p = load(id).finally(() => tracking.delete(id));
    tracking.set(id, p);
    return p;
  }

  async function load(id: string) {
    const delays = [300, 700, 1500, 3000];
    for (let attempt = 0; ; attempt++) {
      const s = socket;
      if (!s) return;
      try {
        const [summary] = await Promise.all([
          endpoints.conversation(session.api, id),
          emitWithAck(s, 'conversation:watch', { conversationId: id }),
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
        notify(`Could not open conversation: ${errorMessage(err)}`, 'error');
        return;
      }
    }
  }

  /** On (re)connect: resubscribe to everything held, and pick up held conversations the server lists. */
  async function resync() {
    watched = new Set();
    const ids = new Set(agentState.value?.conversationIds ?? []);
    for (const c of list.value) if (isHeld(c)) ids.add(c.id);
    try {
      const assigned = await endpoints.conversations(session.api, 'assigned');
      for (const c of assigned) if (c.agentId === me.value) ids.add(c.id);
    } catch {
      /* the list is a convenience; agent:state is authoritative */
    }
    await Promise.all([...ids].map((id) => track(id)));
  }

  function applyAgentState(s: AgentStateEvent) {
    // States can arrive out of order (each dispatcher turn notifies on its own): keep the newest.
    const current = agentState.value?.revision;
    if (s.revision !== undefined && current !== undefined && s.revision < current) return;
    const previous = agentState.value?.conversationIds ?? [];
    agentState.value = s;
    if (s.status !== 'away') breakReason.value = null;
    for (const id of s.conversationIds) {
      delete released.value[id];
      // Back with us (e.g. a team transfer that came round again): an old transfer outcome no longer applies.
      if (outgoing.value[id] && outgoing.value[id].outcome !== 'pending' && !previous.includes(id)) delete outgoing.value[id];
      void track(id);
    }
    // Conversations that left us (closed, transferred away): refresh their row so the list shows why.
    for (const id of previous) {
      if (!s.conversationIds.includes(id)) {
        released.value[id] = true;
        endpoints.conversation(session.api, id).then(upsert, () => undefined);
      }
    }
  }

  function start() {
    if (socket || !session.user) return;
    const s = createSocket();
    socket = s;
    trackConnection(
      s,
      connection,
      () => void resync(),
      () => void recoverRejectedSocket(),
    );
    s.on('agent:state', (state) => {
      applyAgentState(state);
      routingTick.value++;
    });
    s.on('offer', (o) => {
      offers.value = [...offers.value.filter((x) => x.conversationId !== o.conversationId), o];
      notify(`New chat offered: ${o.visitorName}`);
    });
    s.on('offer:revoked', (o) => {
      const offer = offers.value.find((x) => x.conversationId === o.conversationId);
      offers.value = offers.value.filter((x) => x.conversationId !== o.conversationId);
      if (offer) notify(`The chat from ${offer.visitorName} ${REVOKE_REASONS[o.reason] ?? o.reason}.`, 'warning');
    });
    s.on('message', (m) => {
      // Not for conversations handed to someone else: their transcript is no longer ours to follow.
      if (released.value[m.conversationId] && !heldIds.value.has(m.conversationId)) return;
      if (conversations.value[m.conversationId] || watched.has(m.conversationId)) addMessages(m.conversationId, [m], true);
    });
    s.on('conversation:updated', (c) => {
      routingTick.value++;
      if (conversations.value[c.id]) upsert(c);
      else if (c.agentId === me.value && c.status === 'assigned') void track(c.id);
    });
    s.on('transfer:request', (t) => {
      transferRequests.value = [...transferRequests.value.filter((x) => x.transferId !== t.transferId), t];
      notify(`${t.fromAgentName} wants to transfer a chat to you.`);
    });
    s.on('transfer:result', onTransferResult);
  }

  function visitorOf(conversationId: string): string {
    return conversations.value[conversationId]?.visitorName ?? 'the visitor';
  }

  /** Both sides of a transfer get its result; tell each what it means for them. */
  function onTransferResult(t: TransferResultEvent) {
    const incoming = transferRequests.value.find((x) => x.transferId === t.transferId);
    transferRequests.value = transferRequests.value.filter((x) => x.transferId !== t.transferId);
    delete answeringTransfers.value[t.transferId];
    const mine = outgoing.value[t.conversationId];
    if (requesting.has(t.conversationId) && mine?.transferId !== t.transferId) {
      earlyResults.set(t.conversationId, t);
      return;
    }
    if (mine && mine.transferId === t.transferId) {
      outgoing.value[t.conversationId] = { ...mine, outcome: t.outcome, toAgentName: t.toAgentName ?? mine.toAgentName };
      if (t.outcome === 'accepted' || t.outcome === 'moved' || t.outcome === 'queued') released.value[t.conversationId] = true;
      const who = t.toAgentName ?? mine.targetLabel;
      const visitor = visitorOf(t.conversationId);
      const text = {
        accepted: `${who} accepted the transfer of ${visitor}.`,
        moved: `${visitor} was moved to ${who}.`,
        queued: `${visitor} is waiting in the ${t.toTeamId ?? 'team'} queue.`,
        rejected: `${who} declined the transfer of ${visitor}; the conversation stays with you.`,
        expired: `${who} did not answer in time; ${visitor} stays with you.`,
        cancelled: `The transfer of ${visitor} was cancelled (the conversation ended).`,
      }[t.outcome];
      notify(text, t.outcome === 'accepted' || t.outcome === 'moved' || t.outcome === 'queued' ? 'info' : 'warning');
      return;
    }
    if (incoming || answeredTransfers.has(t.transferId)) {
      answeredTransfers.delete(t.transferId);
      const from = incoming?.fromAgentName ?? 'a colleague';
      if (t.outcome === 'accepted' || t.outcome === 'moved') {
        notify(`You took over a conversation from ${from}.`);
        void open(t.conversationId);
      } else if (t.outcome === 'rejected') {
        notify(`You declined the transfer from ${from}.`);
      } else if (t.outcome === 'expired') {
        notify(`The transfer from ${from} expired.`, 'warning');
      } else if (t.outcome === 'cancelled') {
        notify(`The transfer from ${from} was withdrawn (the conversation ended).`, 'warning');
      }
      return;
    }
    if (t.outcome === 'moved') {
      // Without confirmation the target only learns from the result.
      notify('A conversation was transferred to you.');
      void open(t.conversationId);
    }
  }

  /** The server refused the socket: if the session is dead, the session store clears it (and the app routes to login). */
  async function recoverRejectedSocket() {
    try {
      await endpoints.me(session.api);
    } catch (err) {
      if (err instanceof ApiError && err.isUnauthorized) return;
    }
    setTimeout(() => socket?.connect(), 3000);
  }

  function stop() {
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = null;
    watched = new Set();
    tracking.clear();
    connection.value = 'connecting';
    agentState.value = null;
    offers.value = [];
    conversations.value = {};
    order.value = [];
    messages.value = {};
    pending.value = {};
    unread.value = {};
    activeId.value = null;
    released.value = {};
    transferRequests.value = [];
    answeringTransfers.value = {};
    answeredTransfers.clear();
    outgoing.value = {};
    requesting.clear();
    earlyResults.clear();
    breakReason.value = null;
  }

  function requireSocket(): ParleySocket {
    if (!socket) throw new ApiError('network', 'Not connected');
    return socket;
  }

  async function setStatus(next: AgentStatus, reason?: string) {
    try {
      const res = await emitWithAck(requireSocket(), 'agent:status', { status: next, ...(reason ? { reason } : {}) });
      if (res.state) applyAgentState(res.state);
      else if (agentState.value) agentState.value = { ...agentState.value, status: next };
      breakReason.value = next === 'away' && reason ? reason : null;
    } catch (err) {
      notify(`Could not change status: ${errorMessage(err)}`, 'error');
      throw err;
    }
  }

  async function accept(conversationId: string) {
    busyOffers.value[conversationId] = true;
    try {
      await emitWithAck(requireSocket(), 'agent:accept', { conversationId });
      offers.value = offers.value.filter((o) => o.conversationId !== conversationId);
      await track(conversationId);
      select(conversationId);
    } catch (err) {
      notify(`Could not accept: ${errorMessage(err)}`, 'error');
      if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'not_found')) {
        offers.value = offers.value.filter((o) => o.conversationId !== conversationId);
      }
    } finally {
      delete busyOffers.value[conversationId];
    }
  }

  async function reject(conversationId: string) {
    busyOffers.value[conversationId] = true;
    try {
      await emitWithAck(requireSocket(), 'agent:reject', { conversationId });
      offers.value = offers.value.filter((o) => o.conversationId !== conversationId);
    } catch (err) {
      notify(`Could not decline: ${errorMessage(err)}`, 'error');
    } finally {
      delete busyOffers.value[conversationId];
    }
  }

  function select(id: string | null) {
    activeId.value = id;
    if (id) delete unread.value[id];
  }

  /** Bring a conversation into the list (it may have just become ours) and show it. */
  async function open(id: string) {
    await track(id);
    if (conversations.value[id]) select(id);
  }

  async function deliver(conversationId: string, p: PendingMessage) {
    p.state = 'sending';
    p.error = undefined;
    try {
      const res = await emitWithAck(requireSocket(), 'agent:message', { conversationId, clientId: p.clientId, text: p.text });
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
      await emitWithAck(requireSocket(), 'agent:close', { conversationId });
      const c = conversations.value[conversationId];
      if (c) endpoints.conversation(session.api, conversationId).then(upsert, () => undefined);
    } catch (err) {
      notify(`Could not close: ${errorMessage(err)}`, 'error');
    }
  }

  /**
   * Ask for a transfer. `targetLabel` names the target for display. The answer says whether it now waits for the
   * target (pending), happened at once (moved, no confirmation on this desk) or went to a team queue (queued).
   */
  async function transfer(conversationId: string, target: TransferTarget, targetLabel: string): Promise<TransferAnswer> {
    requesting.add(conversationId);
    earlyResults.delete(conversationId);
    let answer: TransferAnswer;
    try {
      const ack = await emitWithAck(requireSocket(), 'agent:transfer', { conversationId, ...target });
      answer = transferAnswerOf(ack);
    } finally {
      requesting.delete(conversationId);
    }
    outgoing.value[conversationId] = {
      transferId: answer.transferId, conversationId, outcome: answer.outcome, targetLabel,
      toAgentName: 'toAgentId' in target ? targetLabel : null, expiresAt: answer.expiresAt,
    };
    if (answer.outcome === 'pending') notify(`Transfer requested. Waiting for ${targetLabel} to accept…`);
    // The result can overtake the ack (moved, queued, or a very quick answer): apply it now.
    const early = earlyResults.get(conversationId);
    earlyResults.delete(conversationId);
    if (early && early.transferId === answer.transferId) onTransferResult(early);
    return answer;
  }

  function clearOutgoing(conversationId: string) {
    delete outgoing.value[conversationId];
  }

  async function answerTransfer(transferId: string, acceptIt: boolean) {
    if (answeringTransfers.value[transferId]) return;
    answeringTransfers.value[transferId] = true;
    const request = transferRequests.value.find((t) => t.transferId === transferId);
    answeredTransfers.set(transferId, acceptIt);
    try {
      await emitWithAck(requireSocket(), 'agent:transfer-answer', { transferId, accept: acceptIt });
      transferRequests.value = transferRequests.value.filter((t) => t.transferId !== transferId);
      if (acceptIt && request) void open(request.conversationId);
    } catch (err) {
      answeredTransfers.delete(transferId);
      notify(`Could not answer the transfer: ${errorMessage(err)}`, 'error');
      // Gone on the server (expired, withdrawn): nothing left to answer.
      if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'not_found' || err.code === 'bad_request')) {
        transferRequests.value = transferRequests.value.filter((t) => t.transferId !== transferId);
      }
    } finally {
      delete answeringTransfers.value[transferId];
    }
  }

  /** PUT /api/me/max-conversations; the server refuses (403) unless the desk lets agents change it. */
  async function setMaxConversations(n: number) {
    const me = await agentsApi.setMyMaxConversations(session.api, n);
    if (agentState.value) agentState.value = { ...agentState.value, maxConversations: me.maxConversations };
    if (session.user) session.user.maxConversations = me.maxConversations;
    return me;
  }

  /** Block the visitor of a conversation I serve; the server ends their open conversations. */
  async function blockVisitor(conversationId: string, reason: string) {
    const c = conversations.value[conversationId];
    if (!c) throw new ApiError('not_found', 'Conversation not found');
    const res = await blacklistApi.block(session.api, c.visitorId, reason);
    notify(`${c.visitorName} is blocked${res.closed ? `; ${res.closed} open conversation${res.closed === 1 ? '' : 's'} closed` : ''}.`);
    endpoints.conversation(session.api, conversationId).then(upsert, () => undefined);
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

  async function signOut() {
    if (socket?.connected && status.value && status.value !== 'offline') {
      await emitWithAck(socket, 'agent:status', { status: 'offline' }, 3000).catch(() => undefined);
    }
    stop();
    await session.logout();
  }

  return {
    connection,
    agentState,
    status,
    offers,
    busyOffers,
    conversations,
    messages,
    pending,
    unread,
    activeId,
    active,
    held,
    finished,
    transferRequests,
    answeringTransfers,
    outgoing,
    breakReason,
    routingTick,
    notices,
    isHeld,
    statusLabel,
    canWrite,
    start,
    stop,
    setStatus,
    accept,
    reject,
    select,
    open,
    send,
    retry,
    close,
    transfer,
    clearOutgoing,
    answerTransfer,
    setMaxConversations,
    blockVisitor,
    dismiss,
    dismissNotice,
    signOut,
  };
});
