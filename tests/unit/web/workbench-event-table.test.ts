import { describe, expect, it, vi } from 'vitest';
import { bindEvents, WORKBENCH_EVENTS, type PushSource, type WorkbenchSinks } from '../../../web/agent/eventTable.js';
import type { ChatMessage } from '../../../domain/messages.js';
import type { ConversationSummary } from '../../../domain/conversation.js';
import type {
  AgentStateEvent, OfferEvent, ServerToClientEvents, TransferRequestEvent, TransferResultEvent,
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
      ['agent:state', 'conversation:classified', 'conversation:updated', 'message', 'note:mention', 'offer', 'offer:revoked', 'transfer:request', 'transfer:result'],
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

  it('offers and their revocations go to the offers store only', () => {
    const { socket, sinks, calls } = connected();
    socket.push('offer', offer);
    socket.push('offer:revoked', { conversationId: 'c3', reason: 'taken' });
    expect(calls).toEqual(['offers.offered', 'offers.revoked']);
    expect(sinks.offers.offered).toHaveBeenCalledWith(offer);
    expect(sinks.offers.revoked).toHaveBeenCalledWith({ conversationId: 'c3', reason: 'taken' });
  });

  it('messages go to the conversations store', () => {
    const { socket, sinks, calls } = connected();
    socket.push('message', message);
    expect(calls).toEqual(['conversations.messageReceived']);
    expect(sinks.conversations.messageReceived).toHaveBeenCalledWith(message);
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
    expect(calls).toEqual(['transfers.requested', 'transfers.resultReceived']);
    expect(sinks.transfers.requested).toHaveBeenCalledWith(request);
    expect(sinks.transfers.resultReceived).toHaveBeenCalledWith(result);
  });

  it('events it does not list reach no store', () => {
    const { socket, calls } = connected();
    socket.push('conversation:state', { conversationId: 'c1' });
    expect(calls).toEqual([]);
  });
});
