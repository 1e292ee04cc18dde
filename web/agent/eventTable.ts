// `.js` specifiers and type-only imports so the unit tests (NodeNext resolution) can import this file too.
import type { ChatMessage } from '../../domain/messages.js';
import type { ConversationSummary } from '../../domain/conversation.js';
import type {
  AgentStateEvent, NoteMentionEvent, OfferEvent, ReceiptEvent, ServerToClientEvents, TransferRequestEvent, TransferResultEvent, TypingEvent,
  VisitorContextChangedEvent, WorkbenchSettingsEvent,
} from '../../domain/contracts/events.js';

type Pushes = ServerToClientEvents;
type PayloadOf<E extends keyof Pushes> = Parameters<Pushes[E]>[0];

/**
 * The store actions server pushes feed, by store. The workbench's pinia stores fulfil this (see connector.ts);
 * a new panel's store is one more entry here and rows in the table below.
 */
export interface WorkbenchSinks {
  status: {
    /** Returns the conversations held before this state, or null when it is older than the one shown. */
    applyState(state: AgentStateEvent): string[] | null;
    routingChanged(): void;
  };
  conversations: {
    heldChanged(now: string[], previous: string[]): void;
    messageReceived(m: ChatMessage): void;
    conversationUpdated(c: ConversationSummary): void;
  };
  offers: {
    offered(o: OfferEvent): void;
    revoked(r: PayloadOf<'offer:revoked'>): void;
  };
  transfers: {
    heldChanged(now: string[], previous: string[]): void;
    requested(t: TransferRequestEvent): void;
    resultReceived(t: TransferResultEvent): void;
  };
  /** The side panel (stores/visitorContext.ts). */
  visitorContext?: {
    changed(e: VisitorContextChangedEvent): void;
  };
  composer: {
    typingReceived(t: TypingEvent): void;
    receiptReceived(r: ReceiptEvent): void;
    messageReceived(m: ChatMessage): void;
  };
  /** Sound + desktop notification per kind (stores/alerts.ts). */
  alerts: {
    offered(o: OfferEvent): void;
    messageReceived(m: ChatMessage): void;
    transferRequested(t: TransferRequestEvent): void;
    mentioned(n: NoteMentionEvent): void;
  };
  /** Which workbench controls the desk allows (stores/deskSettings.ts). */
  deskSettings: {
    changed(s: WorkbenchSettingsEvent): void;
  };
  /** Issue 18: mentions in private notes, and classification changes. */
  notes?: { mentioned(m: PayloadOf<'note:mention'>): void };
  classification?: { classified(c: PayloadOf<'conversation:classified'>): void };
}

/** A new agent state, from a push or from the answer to `agent:status`: every store that follows held conversations learns the change. */
export function applyAgentState(s: WorkbenchSinks, state: AgentStateEvent) {
  const previous = s.status.applyState(state);
  if (!previous) return;
  s.transfers.heldChanged(state.conversationIds, previous);
  s.conversations.heldChanged(state.conversationIds, previous);
}

export type EventTable = { [E in keyof Pushes]?: (s: WorkbenchSinks, payload: PayloadOf<E>) => void };

/** Each server push the workbench listens to, and the store actions it feeds, in order. */
export const WORKBENCH_EVENTS: EventTable = {
  'agent:state': (s, state) => {
    applyAgentState(s, state);
    s.status.routingChanged();
  },
  offer: (s, o) => {
    s.alerts.offered(o);
    s.offers.offered(o);
  },
  'offer:revoked': (s, r) => s.offers.revoked(r),
  message: (s, m) => {
    s.conversations.messageReceived(m);
    s.composer.messageReceived(m);
    s.alerts.messageReceived(m);
  },
  'conversation:updated': (s, c) => {
    s.status.routingChanged();
    s.conversations.conversationUpdated(c);
  },
  'transfer:request': (s, t) => {
    s.alerts.transferRequested(t);
    s.transfers.requested(t);
  },
  'transfer:result': (s, t) => s.transfers.resultReceived(t),
  'visitor-context:changed': (s, e) => s.visitorContext?.changed(e),
  typing: (s, t) => s.composer.typingReceived(t),
  receipt: (s, r) => s.composer.receiptReceived(r),
  'note:mention': (s, m) => {
    s.notes?.mentioned(m);
    s.alerts.mentioned(m);
  },
  'desk:settings': (s, d) => s.deskSettings.changed(d),
  'conversation:classified': (s, c) => s.classification?.classified(c),
};

/** What the table needs of a socket: a way to listen (a Socket.IO client socket, or a fake in unit tests). */
export interface PushSource {
  on(event: keyof Pushes, listener: (payload: never) => void): unknown;
}

/** Subscribes each event of the table on the socket, feeding the given stores. */
export function bindEvents(socket: PushSource, sinks: WorkbenchSinks, table: EventTable = WORKBENCH_EVENTS) {
  for (const event of Object.keys(table) as (keyof Pushes)[]) {
    const feed = table[event] as (s: WorkbenchSinks, payload: unknown) => void;
    socket.on(event, (payload: unknown) => feed(sinks, payload));
  }
}
