import type { Socket } from 'socket.io';
import { rooms, VisitorAvailabilityPayload } from '../../domain/contracts/events.js';
import type { RateCheck } from '../http/rate-limit.js';
import type { AvailabilityService } from '../services/availability.js';
import type { ConversationService } from '../services/conversations.js';
import type { QueuedVisitorWatch } from '../services/queued-visitors.js';
import { onEvent } from './handler.js';

/**
 * Issue 19 on a visitor's socket: it follows the availability of its conversation's channel (and of any
 * channel it asks for with `visitor:availability`), and a queued visitor whose last socket closes is
 * dropped from the queue after the flow's grace period unless they come back (api/services/queued-visitors.ts).
 */
export function attachVisitorOffline(socket: Socket, visitorId: string,
    services: { conversations: ConversationService; availability: AvailabilityService; queuedVisitors: QueuedVisitorWatch }, limit?: () => RateCheck): void {
  const { availability, queuedVisitors } = services;
  queuedVisitors.connected(visitorId);
  void services.conversations.currentForVisitor(visitorId).then((c) => { if (c) void socket.join(rooms.availability(c.channel)); }).catch(() => undefined);
  onEvent(socket, 'visitor:availability', VisitorAvailabilityPayload, async ({ channel }) => {
    const now = await availability.get(channel);
    availability.noteTold(now);
    await socket.join(rooms.availability(channel));
    return { availability: now };
  }, { limit });
  socket.on('disconnect', () => {
    queuedVisitors.disconnected(visitorId).catch((err: unknown) => console.warn('[queue] visitor disconnect:', err instanceof Error ? err.message : err));
  });
}
