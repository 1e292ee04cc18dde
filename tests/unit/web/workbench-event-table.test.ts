import { describe, expect, it, vi } from 'vitest';
import { bindEvents, WORKBENCH_EVENTS, type PushSource, type WorkbenchSinks } from '../../../web/agent/eventTable.js';
import type { Classification } from '../../../domain/classification.js';
import type { ChatMessage } from '../../../domain/messages.js';
import type { ConversationSummary } from '../../../domain/conversation.js';
import type {
  AgentStateEvent, NoteMentionEvent, OfferEvent, ReceiptEvent, ServerToClientEvents, TransferRequestEvent, TransferResultEvent, TypingEvent,
  VisitorContextChangedEvent, WorkbenchSettingsEvent,
} from '../../../domain/contracts/events.js';

type OfferRevoked = Parameters<ServerToClientEvents['offer:revoked']>[0];

/** A socket that records listeners and lets the test push server events. */
class FakeSocket implements PushSource {
  readonly listeners = new Map<string, ((payload: unknown) => void)[]>();
  on(event: string, listener: (payload: never) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (payload: unknown) => void]);
    return this;
  }
  push(event: string, payload: unknown) {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }
}

/** Every action the table may feed, as spies that log their name; `applyState` answers the conversations held before, or null (stale). */
function fakeSinks(previous: string[] | null) {
  const calls: string[] = [];
  const spy = <A extends unknown[]>(name: string) => vi.fn((..._args: A) => void calls.push(name));
  const sinks = {
    status: {
      applyState: vi.fn((_state: AgentStateEvent) => {
        calls.push('status.applyState');
        return previous;
      }),
      routingChanged: spy<[]>('status.routingChanged'),
    },
    conversations: {
      heldChanged: spy<[string[], string[]]>('conversations.heldChanged'),
      messageReceived: spy<[ChatMessage]>('conversations.messageReceived'),
      conversationUpdated: spy<[ConversationSummary]>('conversations.conversationUpdated'),
    },
    offers: { offered: spy<[OfferEvent]>('offers.offered'), revoked: spy<[OfferRevoked]>('offers.revoked') },
    transfers: {
      heldChanged: spy<[string[], string[]]>('transfers.heldChanged'),
      requested: spy<[TransferRequestEvent]>('transfers.requested'),
      resultReceived: spy<[TransferResultEvent]>('transfers.resultReceived'),
    },
    visitorContext: { changed: spy<[VisitorContextChangedEvent]>('visitorContext.changed') },
    composer: {
      typingReceived: spy<[TypingEvent]>('composer.typingReceived'),
      receiptReceived: spy<[ReceiptEvent]>('composer.receiptReceived'),
      messageReceived: spy<[ChatMessage]>('composer.messageReceived'),
    },
    alerts: {
      offered: spy<[OfferEvent]>('alerts.offered'),
      messageReceived: spy<[ChatMessage]>('alerts.messageReceived'),
      transferRequested: spy<[TransferRequestEvent]>('alerts.transferRequested'),
      mentioned: spy<[NoteMentionEvent]>('alerts.mentioned'),
    },
    deskSettings: { changed: spy<[WorkbenchSettingsEvent]>('deskSettings.changed') },
    notes: { mentioned: spy<[NoteMentionEvent]>('notes.mentioned') },
    classification: { classified: spy<[Classification]>('classification.classified') },
  } satisfies WorkbenchSinks;
  return { sinks, calls };
}

function connected(previous: string[] | null = []) {
  const socket = new FakeSocket();
  const { sinks, calls } = fakeSinks(previous);
  bindEvents(socket, sinks);
  return { socket, sinks, calls };
}

const summary = { id: 'c1', status: 'assigned', agentId: 'a1', visitorName: 'Vera' } as ConversationSummary;
const message = { id: 'm1', conversationId: 'c1', seq: 3, sender: 'visitor' } as ChatMessage;
const state: AgentStateEvent = { status: 'online', load: 1, maxConversations: 3, conversationIds: ['c1', 'c2'], revision: 7 };
const offer: OfferEvent = { conversationId: 'c3', visitorName: 'Vic', teamId: null, expiresAt: null };
const request: TransferRequestEvent = { transferId: 't1', conversationId: 'c1', fromAgentName: 'Alice', expiresAt: '2026-01-01T00:00:30Z' };
const result: TransferResultEvent = { transferId: 't1', conversationId: 'c1', outcome: 'accepted', toAgentName: 'Carol', toTeamId: null };

describe('workbench event table', () => {
  it('listens to exactly the pushes the workbench uses (not the visitor-only conversation:state)', () => {
    const { socket } = connected();
    expect([...socket.listeners.keys()].sort()).toEqual(
      ['agent:state', 'conversation:classified', 'conversation:updated', 'desk:settings', 'message', 'note:mention', 'offer', 'offer:revoked', 'receipt',
        'transfer:request', 'transfer:result', 'typing', 'visitor-context:changed'],
    );
    expect(Object.keys(WORKBENCH_EVENTS).sort()).toEqual([...socket.listeners.keys()].sort());
    for (const listeners of socket.listeners.values()) expect(listeners).toHaveLength(1);
  });

  it('agent:state goes to the status store, then transfers and conversations learn the held change, then the queue tick', () => {
    const { socket, sinks, calls } = connected(['c0', 'c1']);
    socket.push('agent:state', state);
    expect(calls).toEqual(['status.applyState', 'transfers.heldChanged', 'conversations.heldChanged', 'status.routingChanged']);
    expect(sinks.status.applyState).toHaveBeenCalledWith(state);
    expect(sinks.transfers.heldChanged).toHaveBeenCalledWith(['c1', 'c2'], ['c0', 'c1']);
    expect(sinks.conversations.heldChanged).toHaveBeenCalledWith(['c1', 'c2'], ['c0', 'c1']);
  });

  it('a stale agent:state changes no held conversations but still ticks the queue', () => {
    const { socket, calls } = connected(null);
    socket.push('agent:state', { ...state, revision: 1 });
    expect(calls).toEqual(['status.applyState', 'status.routingChanged']);
  });

  it('an offer alerts (before it is listed, so one shown again is not alerted twice), then goes to the offers store; revocations to the offers store only', () => {
    const { socket, sinks, calls } = connected();
    socket.push('offer', offer);
    socket.push('offer:revoked', { conversationId: 'c3', reason: 'taken' });
    expect(calls).toEqual(['alerts.offered', 'offers.offered', 'offers.revoked']);
    expect(sinks.alerts.offered).toHaveBeenCalledWith(offer);
    expect(sinks.offers.offered).toHaveBeenCalledWith(offer);
    expect(sinks.offers.revoked).toHaveBeenCalledWith({ conversationId: 'c3', reason: 'taken' });
  });

  it('messages go to the conversations store, to the composer store (which clears the typing line), then to the alerts', () => {
    const { socket, sinks, calls } = connected();
    socket.push('message', message);
    expect(calls).toEqual(['conversations.messageReceived', 'composer.messageReceived', 'alerts.messageReceived']);
    expect(sinks.alerts.messageReceived).toHaveBeenCalledWith(message);
    expect(sinks.conversations.messageReceived).toHaveBeenCalledWith(message);
  });

  it('typing and receipts go to the composer store', () => {
    const { socket, sinks, calls } = connected();
    const typing: TypingEvent = { conversationId: 'c1', from: 'visitor', name: 'Vera', typing: true };
    const receipt: ReceiptEvent = { conversationId: 'c1', deliveredSeq: 4, readSeq: 3 };
    socket.push('typing', typing);
    socket.push('receipt', receipt);
    expect(calls).toEqual(['composer.typingReceived', 'composer.receiptReceived']);
    expect(sinks.composer.typingReceived).toHaveBeenCalledWith(typing);
    expect(sinks.composer.receiptReceived).toHaveBeenCalledWith(receipt);
  });

  it('conversation:updated ticks the queue and updates the conversation row', () => {
    const { socket, sinks, calls } = connected();
    socket.push('conversation:updated', summary);
    expect(calls).toEqual(['status.routingChanged', 'conversations.conversationUpdated']);
    expect(sinks.conversations.conversationUpdated).toHaveBeenCalledWith(summary);
  });

  it('transfer requests and results go to the transfers store', () => {
    const { socket, sinks, calls } = connected();
    socket.push('transfer:request', request);
    socket.push('transfer:result', result);
    expect(calls).toEqual(['alerts.transferRequested', 'transfers.requested', 'transfers.resultReceived']);
    expect(sinks.transfers.requested).toHaveBeenCalledWith(request);
    expect(sinks.transfers.resultReceived).toHaveBeenCalledWith(result);
  });

  it('a changed visitor profile or journey goes to the details panel', () => {
    const { socket, sinks, calls } = connected();
    const changed: VisitorContextChangedEvent = { visitorId: 'v1', what: 'journey', conversationId: 'c1' };
    socket.push('visitor-context:changed', changed);
    expect(calls).toEqual(['visitorContext.changed']);
    expect(sinks.visitorContext.changed).toHaveBeenCalledWith(changed);
  });

  it('mentions go to the alerts, desk settings to their store', () => {
    const { socket, sinks, calls } = connected();
    const mention: NoteMentionEvent = { conversationId: 'c1', messageId: 'm1', authorName: 'Bob', visitorName: 'Ann', excerpt: '@Alice look', createdAt: '2026-12-06T12:00:00.000Z' };
    socket.push('note:mention', mention);
    socket.push('desk:settings', { agentsMayJoinQueued: true, agentsMayChangeLimit: false });
    expect(calls).toEqual(['notes.mentioned', 'alerts.mentioned', 'deskSettings.changed']);
    expect(sinks.alerts.mentioned).toHaveBeenCalledWith(mention);
    expect(sinks.deskSettings.changed).toHaveBeenCalledWith({ agentsMayJoinQueued: true, agentsMayChangeLimit: false });
  });

  it('events it does not list reach no store', () => {
    const { socket, calls } = connected();
    socket.push('conversation:state', { conversationId: 'c1' });
    expect(calls).toEqual([]);
  });
});
