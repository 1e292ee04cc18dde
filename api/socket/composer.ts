import type { Socket } from 'socket.io';
import { AgentReadPayload, AgentTypingPayload, rooms, VisitorReceiptPayload, VisitorTypingPayload } from '../../domain/contracts/events.js';
import type { RateCheck } from '../http/rate-limit.js';
import type { ComposerService } from '../services/composer.js';
import { onEvent } from './handler.js';

/**
 * Typing and receipt events. They spend from their own budget per visitor / staff user (`limit`:
 * RATE_LIMIT_SIGNALS_PER_10S), so a chatty typist never uses up the budget for messages.
 */
export function attachVisitorComposer(socket: Socket, visitorId: string, composer: ComposerService, limit?: () => RateCheck): void {
  onEvent(socket, 'visitor:typing', VisitorTypingPayload, (p) => composer.visitorTyping(visitorId, p.typing, p.preview), { limit });
  onEvent(socket, 'visitor:receipt', VisitorReceiptPayload, (p) => composer.visitorReceipt(visitorId, p.conversationId, p.deliveredSeq, p.readSeq), { limit });
}

export function attachStaffComposer(socket: Socket, user: { userId: string; role: 'admin' | 'agent' }, composer: ComposerService, limit?: () => RateCheck): void {
  const principal = { kind: 'staff' as const, ...user };
  onEvent(socket, 'agent:typing', AgentTypingPayload, async (p) => {
    const event = await composer.agentTyping(principal, p.conversationId, p.typing);
    // The visitor and other staff watching; not back to this socket.
    socket.to(rooms.conversation(p.conversationId)).emit('typing', event);
  }, { limit });
  onEvent(socket, 'agent:read', AgentReadPayload, (p) => composer.staffRead(principal, p.conversationId, p.readSeq), { limit });
}
