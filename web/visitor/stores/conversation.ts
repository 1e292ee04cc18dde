import { computed, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import { createApiClient, endpoints, visitorContextApi } from '../../common/api';
import { currentPage, currentPageView } from '../pageInfo';
import { ApiError, errorMessage } from '../../common/errors';
import { t } from '../../common/i18n';
import { createSocket, emitWithAck, type ParleySocket } from '../../common/socket';
import { trackConnection, type ConnectionState } from '../../common/connection';
import { TOKEN_KEYS, tokenStore } from '../../common/storage';
import { mergeMessages, prunePending, type PendingMessage, type RatingSubmission, type RatingUiState } from '../../common/messageUtils';
import { uuid } from '../../common/uuid';
import { currentLocale, i18n } from '../../common/i18n';
import { visitorSignals } from '../signals';
import { useAvailabilityStore } from './availability';
import { visitorPrechat } from '../prechat-state';
import { visitorTranscript } from '../transcript';
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
  /** Issue 19: while queued, the estimated wait (seconds; null: unknown). */
  estimatedWaitSec?: number | null;
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
  const phase = ref<'idle' | 'loading' | 'prechat' | 'ready' | 'error'>('idle');
  /** Issue 19: the channel's pre-chat form while the visitor fills it in (visitor/prechat.ts). */
  const prechat = visitorPrechat(api);
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
  const availability = useAvailabilityStore();

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
  /** Issue 19: queue notices are live status; the queue card shows the position once, so the list leaves them out. */
  const visibleMessages = computed(() => messages.value.filter((m) => m.body.kind !== 'queue'));
  /** The recorded rating of this conversation (the latest rating-result after the latest invitation), if any. */
  const ratedResult = computed(() => {
    for (let i = messages.value.length - 1; i >= 0; i--) {
      const body = messages.value[i].body;
      if (body.kind === 'rating-result') return body;
      if (body.kind === 'rating-invite') break;
    }
    return null;
  });
  const isRated = computed(() => ratedResult.value !== null || rating.value.status === 'done');
  /** A transcript download or e-mail (visitor/transcript.ts). */
  const transcript = visitorTranscript(api, () => conversationId.value);

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
    const estimatedWaitSec = s.status !== 'queued' ? null : s.estimatedWaitSec === undefined ? view.value?.estimatedWaitSec ?? null : s.estimatedWaitSec;
    view.value = { status: s.status, agentName: s.agentName, queuePosition: s.queuePosition, ratingOpenUntil: s.ratingOpenUntil, estimatedWaitSec };
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
        else loadError.value = t('visitor.chat.couldNotConnect');
      },
    );
    s.on('message', (m) => addMessages([m]));
    s.on('conversation:state', applyState);
    // Issue 19: the channel's availability in the header, kept live.
    s.on('channel:availability', (a) => availability.apply(a));
    s.on('connect', () => {
      const followed = conversation.value?.channel;
      if (followed) void emitWithAck(s, 'visitor:availability', { channel: followed }).then((r) => availability.apply(r.availability), () => undefined);
    });
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
      // Issue 19: the channel's pre-chat form first, unless the visitor already answered it or is known.
      if (await prechat.load(channel)) {
        phase.value = 'prechat';
        return;
      }
      await open(token);
    } catch (err) {
      loadError.value = errorMessage(err);
      phase.value = 'error';
    }
  }

  /** Starts (or resumes) the conversation and follows it live. */
  async function open(token: string) {
    applySummary(await endpoints.visitorConversation(api, { channel, page: pageNow(), locale: currentLocale(), embedOrigin: embed?.origin }));
    void availability.load(api, conversation.value?.channel ?? channel ?? 'web');
    await loadHistory();
    connect(token);
    phase.value = 'ready';
    reportThisPage();
  }

  /** Sends the pre-chat answers; once saved, the conversation starts. A refused answer keeps the form up with its error. */
  async function submitPrechat(answers: Parameters<typeof prechat.submit>[1]) {
    if (!(await prechat.submit(channel, answers))) return;
    try {
      const token = await ensureSession();
      displayName.value = prechat.savedName.value ?? displayName.value;
      await open(token);
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
        ...(sub.resolved !== undefined ? { resolved: sub.resolved } : {}),
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

  // Issue 19: the app's language changed (switcher, SDK): the open conversation's later flow texts follow it.
  // Best effort: what the flow already said stays, and a closed conversation has nothing more to say.
  watch(() => i18n.global.locale.value, (locale) => {
    if (socket && phase.value === 'ready' && !isClosed.value) emitWithAck(socket, 'visitor:locale', { locale }).catch(() => undefined);
  });

  /** After a closed conversation (rating window or ended): open a fresh one and re-join its live room. */
  async function startNew() {
    if (startingNew.value) return;
    startingNew.value = true;
    actionError.value = null;
    try {
      const token = await ensureSession();
      // issue 19: the flow speaks the app's language
      const next = await endpoints.visitorConversation(api, { channel, forceNew: true, page: pageNow(), locale: currentLocale(), embedOrigin: embed?.origin });
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
    visibleMessages,
    ratedResult,
    isRated,
    prechat,
    submitPrechat,
    transcript,
    init,
    applySummary,
    refresh,
    send,
    retry,
    rate,
    close,
    startNew,
  };
});
