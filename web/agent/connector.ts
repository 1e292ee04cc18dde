import { defineStore } from 'pinia';
import { useSessionStore } from './stores/session';
import { useSocketStore } from './stores/socket';
import { useAgentStatusStore } from './stores/agentStatus';
import { useConversationsStore } from './stores/conversations';
import { useOffersStore } from './stores/offers';
import { useTransfersStore } from './stores/transfers';
import { useNoticesStore } from './stores/notices';
import { useVisitorContextStore } from './stores/visitorContext';
import { useComposerStore } from './stores/composer';
import { useAlertsStore } from './stores/alerts';
import { useDeskSettingsStore } from './stores/deskSettings';
import { useNotesStore } from './stores/notes';
import { useClassificationStore } from './stores/classification';
import { endpoints } from '../common/api';
import { ApiError, errorMessage } from '../common/errors';
import { WORKBENCH_TEXTS } from '../common/labels';
import { applyAgentState, bindEvents, type WorkbenchSinks } from './eventTable';
import type { AgentStatus } from '../../domain/agents';

/**
 * The workbench's connector: opens the socket when the workbench shows and closes it when it goes, feeds every
 * server push to the stores through the event table (eventTable.ts), and empties the stores on the way out.
 */
export const useConnectorStore = defineStore('agent-connector', () => {
  const session = useSessionStore();
  const socket = useSocketStore();
  const status = useAgentStatusStore();
  const conversations = useConversationsStore();
  const offers = useOffersStore();
  const transfers = useTransfersStore();
  const notices = useNoticesStore();
  const visitorContext = useVisitorContextStore();
  const composer = useComposerStore();
  const alerts = useAlertsStore();
  const deskSettings = useDeskSettingsStore();
  const notes = useNotesStore();
  const classification = useClassificationStore();
  const sinks: WorkbenchSinks = { status, conversations, offers, transfers, visitorContext, composer, alerts, deskSettings, notes, classification };

  function start() {
    if (socket.isOpen() || !session.user) return;
    alerts.start();
    const s = socket.open(
      () => {
        void conversations.resync();
        void deskSettings.load(); // a change pushed while disconnected is picked up here
      },
      () => void recoverRejectedSocket(),
    );
    bindEvents(s, sinks);
    void notes.load();
  }

  /** The server refused the socket: if the session is dead, the session store clears it (and the app routes to login). */
  async function recoverRejectedSocket() {
    try {
      await endpoints.me(session.api);
    } catch (err) {
      if (err instanceof ApiError && err.isUnauthorized) return;
    }
    socket.reconnectLater(3000);
  }

  function stop() {
    socket.close();
    alerts.stop();
    deskSettings.reset();
    status.reset();
    offers.reset();
    conversations.reset();
    transfers.reset();
    visitorContext.reset();
    composer.reset();
    notes.reset();
    classification.reset();
  }

  /** Here rather than in the status store: the answer carries an agent state, fed to the stores like an `agent:state` push. */
  async function setStatus(next: AgentStatus, reason?: string) {
    try {
      const res = await socket.emit('agent:status', { status: next, ...(reason ? { reason } : {}) });
      if (res.state) applyAgentState(sinks, res.state);
      else status.assumeStatus(next);
      status.setBreakReason(next === 'away' && reason ? reason : null);
    } catch (err) {
      notices.notify(WORKBENCH_TEXTS.couldNotChangeStatus(errorMessage(err)), 'error');
      throw err;
    }
  }

  async function signOut() {
    if (socket.isConnected() && status.status && status.status !== 'offline') {
      await socket.emit('agent:status', { status: 'offline' }, 3000).catch(() => undefined);
    }
    composer.forgetDrafts();
    stop();
    await session.logout();
  }

  return { start, stop, setStatus, signOut };
});
