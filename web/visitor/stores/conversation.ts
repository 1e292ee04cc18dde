import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { createApiClient, endpoints, visitorContextApi } from '../../common/api';
import { currentPage, currentPageView } from '../pageInfo';
import { ApiError, errorMessage } from '../../common/errors';
import { createSocket, emitWithAck, type ParleySocket } from '../../common/socket';
import { trackConnection, type ConnectionState } from '../../common/connection';
import { TOKEN_KEYS, tokenStore } from '../../common/storage';
import { mergeMessages, prunePending, type PendingMessage, type RatingSubmission, type RatingUiState } from '../../common/messageUtils';
import { uuid } from '../../common/uuid';
import { visitorSignals } from '../signals';
import type { ChatMessage } from '../../../domain/messages';
import type { ConversationStatus, ConversationSummary } from '../../../domain/conversation';
import type { ConversationStateEvent } from '../../../domain/contracts/events';
import type { PageViewInput, VisitorPageInfo } from '../../../domain/visitor-context';

/** Issue 19: the chat embedded in a site's widget (web/embed/) reports the host page and its origin instead of its own. */
export interface EmbedHooks {
  origin: string;
  page: () => VisitorPageInfo | undefined;
  pageView: () => PageViewInput | undefined;
}

/** What the header shows; fed by the REST summary and then by live `conversation:state` events. */
interface LiveView {
  status: ConversationStatus;
  agentName: string | null;
  queuePosition: number | null;
  ratingOpenUntil: string | null;
}

const CLOSED: readonly ConversationStatus[] = ['rating', 'ended'];

export const useConversationStore = defineStore('conversation', () => {
  const tokens = tokenStore(TOKEN_KEYS.visitor);
  const api = createApiClient({ tokens });

  const visitorId = ref<string | null>(null);
  const displayName = ref<string | null>(null);
  const conversation = ref<ConversationSummary | null>(null);
  const view = ref<LiveView | null>(null);
  const messages = shallowRef<ChatMessage[]>([]);
  const pending = ref<PendingMessage[]>([]);
  const phase = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const loadError = ref<string | null>(null);
  const actionError = ref<string | null>(null);
  const connection = ref<ConnectionState>('connecting');
  const rating = ref<RatingUiState>({ status: 'idle' });
  const startingNew = ref(false);
  let socket: ParleySocket | null = null;
  let channel: string | undefined;
  let embed: EmbedHooks | undefined;
  const pageNow = () => (embed ? embed.page() : currentPage());
  let rejections = 0;
  /** Typing both ways and read receipts (../signals.ts). */
  const signals = visitorSignals();

  const conversationId = computed(() => conversation.value?.id ?? null);
  const status = computed<ConversationStatus | null>(() => view.value?.status ?? null);
  const isEnded = computed(() => status.value === 'ended');
  const isClosed = computed(() => status.value !== null && CLOSED.includes(status.value));
  const canSend = computed(() => phase.value === 'ready' && !isClosed.value);
  /** While queued: the latest position notice (the desk writes one per change), else the summary's. */
  const queuePosition = computed(() => {
    if (status.value !== 'queued') return null;
    for (let i = messages.value.length - 1; i >= 0; i--) {
      const body = messages.value[i].body;
      if (body.kind === 'queue') return body.position;
    }
    return view.value?.queuePosition ?? null;
  });
  const agentName = computed(() => (status.value === 'assigned' ? view.value?.agentName ?? null : null));

  function applySummary(s: ConversationSummary) {
    conversation.value = s;
    view.value = {
      status: s.status,
      agentName: s.agentName,
      queuePosition: s.queuePosition,
      ratingOpenUntil: view.value?.ratingOpenUntil ?? null,
    };
  }

  function applyState(s: ConversationStateEvent) {
    if (s.conversationId !== conversationId.value) return;
    view.value = { status: s.status, agentName: s.agentName, queuePosition: s.queuePosition, ratingOpenUntil: s.ratingOpenUntil };
  }

  function addMessages(incoming: ChatMessage[]) {
    const mine = incoming.filter((m) => m.conversationId === conversationId.value);
    if (mine.length === 0) return;
    messages.value = mergeMessages(messages.value, mine);
    pending.value = prunePending(pending.value, messages.value);
    signals.received(mine[0].conversationId, mine);
  }

  /** Get (or reuse) the visitor identity. A stored token the server no longer accepts is dropped. */
  async function ensureSession() {
    let res;
    try {
      res = await endpoints.visitorSession(api, undefined, embed && { channel, embedOrigin: embed.origin });
    } catch (err) {
      if (err instanceof ApiError && err.isUnauthorized && tokens.get()) {
        tokens.clear();
        res = await endpoints.visitorSession(api, undefined, embed && { channel, embedOrigin: embed.origin });
      } else {
        throw err;
      }
    }
    tokens.set(res.token);
    visitorId.value = res.visitorId;
    displayName.value = res.displayName;
    return res.token;
  }

  async function loadHistory() {
    const id = conversationId.value;
    if (!id) return;
    const history = await endpoints.messages(api, id);
    if (id === conversationId.value) addMessages(history);
  }

  async function refresh() {
    const id = conversationId.value;
    if (!id) return;
    try {
      const [summary] = await Promise.all([endpoints.conversation(api, id), loadHistory()]);
      if (summary.id === conversationId.value) applySummary(summary);
    } catch (err) {
      actionError.value = errorMessage(err);
    }
  }

  function connect(token: string) {
    socket?.disconnect();
    const s = createSocket(token);
    socket = s;
    trackConnection(
      s,
      connection,
      () => {
        rejections = 0;
        // Catch up on whatever happened while disconnected; duplicates are merged away by id.
        void refresh();
      },
      () => {
        // The token was refused: get a fresh session once, then give up and say so.
        if (rejections++ < 1) void reconnectWithFreshSession();
        else loadError.value = 'Could not connect to the chat service. Please reload the page.';
      },
    );
    s.on('message', (m) => addMessages([m]));
    s.on('conversation:state', applyState);
    signals.attach(s);
  }

  async function reconnectWithFreshSession() {
    try {
      connect(await ensureSession());
    } catch (err) {
      loadError.value = errorMessage(err);
    }
  }

  /** The full-page chat's one page, as the start of the conversation's journey (the agent sees it; failures do not matter to the visitor). */
  function reportThisPage() {
    const view = embed ? embed.pageView() : currentPageView();
    if (view) visitorContextApi.reportPageView(api, view).catch(() => undefined);
  }

  async function init(opts: { channel?: string; embed?: EmbedHooks } = {}) {
    if (phase.value === 'loading' || phase.value === 'ready') return;
    channel = opts.channel;
    embed = opts.embed ?? embed;
    phase.value = 'loading';
    loadError.value = null;
    try {
      const token = await ensureSession();
      applySummary(await endpoints.visitorConversation(api, { channel, page: pageNow(), embedOrigin: embed?.origin }));
      await loadHistory();
      connect(token);
      phase.value = 'ready';
      reportThisPage();
    } catch (err) {
      loadError.value = errorMessage(err);
      phase.value = 'error';
    }
  }

  async function deliver(p: PendingMessage) {
    if (!socket) return;
    p.state = 'sending';
    p.error = undefined;
    try {
      const res = await emitWithAck(socket, 'visitor:message', {
        clientId: p.clientId,
        text: p.text,
        ...(p.choiceId ? { choiceId: p.choiceId } : {}),
      });
      addMessages([res.message]);
    } catch (err) {
      const entry = pending.value.find((x) => x.clientId === p.clientId);
      if (entry) {
        entry.state = 'failed';
        entry.error = errorMessage(err);
      }
      // The conversation may have ended under us (timer, agent): pick up the real state.
      if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'not_found')) await refresh();
    }
  }

  function send(text: string, choiceId?: string) {
    actionError.value = null;
    if (!canSend.value || !conversationId.value) return;
    pending.value.push({
      clientId: uuid(),
      conversationId: conversationId.value,
      text,
      choiceId,
      state: 'sending',
      createdAt: new Date().toISOString(),
    });
    void deliver(pending.value[pending.value.length - 1]);
  }

  function retry(clientId: string) {
    const p = pending.value.find((x) => x.clientId === clientId);
    if (p && canSend.value) void deliver(p);
  }

  async function rate(sub: RatingSubmission) {
    if (!socket || rating.value.status === 'submitting') return;
    rating.value = { status: 'submitting', score: sub.score };
    try {
      await emitWithAck(socket, 'visitor:rate', {
        score: sub.score,
        requestId: uuid(),
        ...(sub.comment ? { comment: sub.comment } : {}),
      });
      rating.value = { status: 'done', score: sub.score };
    } catch (err) {
      rating.value = { status: 'error', error: errorMessage(err) };
    }
  }

  async function close() {
    if (!socket) return;
    actionError.value = null;
    try {
      await emitWithAck(socket, 'visitor:close', {});
    } catch (err) {
      actionError.value = errorMessage(err);
    }
  }

  /** After a closed conversation (rating window or ended): open a fresh one and re-join its live room. */
  async function startNew() {
    if (startingNew.value) return;
    startingNew.value = true;
    actionError.value = null;
    try {
      const token = await ensureSession();
      const next = await endpoints.visitorConversation(api, { channel, forceNew: true, page: pageNow(), embedOrigin: embed?.origin });
      if (next.id !== conversationId.value) {
        messages.value = [];
        pending.value = [];
        rating.value = { status: 'idle' };
        view.value = null;
      }
      applySummary(next);
      await loadHistory();
      // The server scopes a visitor socket to the open conversation, so reconnect to follow the new one.
      connect(token);
      reportThisPage();
    } catch (err) {
      actionError.value = errorMessage(err);
    } finally {
      startingNew.value = false;
    }
  }

  /** The visitor changed under the chat (Parley.identify): drop this conversation and load the new visitor's (issue 19). */
  async function restart() {
    socket?.disconnect();
    socket = null;
    conversation.value = null;
    view.value = null;
    messages.value = [];
    pending.value = [];
    rating.value = { status: 'idle' };
    phase.value = 'idle';
    await init({ channel, embed });
  }

  return {
    restart,
    visitorId,
    displayName,
    conversation,
    conversationId,
    view,
    messages,
    pending,
    phase,
    loadError,
    actionError,
    connection,
    rating,
    startingNew,
    agentTyping: signals.agentTyping,
    sendTyping: signals.typing,
    status,
    isEnded,
    isClosed,
    canSend,
    queuePosition,
    agentName,
    init,
    send,
    retry,
    rate,
    close,
    startNew,
  };
});
