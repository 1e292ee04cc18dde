import { visitorLeftQueueSignal } from '../../domain/contracts/conversation-workflow.js';
import { isWorkflowGone } from '../../domain/contracts/temporal-errors.js';
import type { ApiContext } from '../context.js';
import type { ConversationService } from './conversations.js';

const WAITING = new Set(['queued', 'offered']);
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Issue 19: a queued visitor who closed the page is dropped from the queue after the flow's grace period
 * (`settings.offline.queueDropGraceSec`) instead of being offered to an agent and holding a slot. The API
 * process where the visitor's last socket closed waits out the grace, then asks every API process
 * (`fetchSockets` on the visitor's room, through the PostgreSQL adapter) whether the visitor is back; if
 * not, and the conversation still waits, it tells the workflow, which closes it (`visitorLeftQueue`).
 * A process that stops meanwhile forgets its timers: that visitor then waits until the idle close.
 */
export function queuedVisitorWatch(ctx: ApiContext, conversations: ConversationService, visitorRoom: (visitorId: string) => string) {
  const timers = new Map<string, NodeJS.Timeout>();

  async function check(visitorId: string, conversationId: string, disconnectedAt: number): Promise<void> {
    timers.delete(visitorId);
    if ((await ctx.io.in(visitorRoom(visitorId)).fetchSockets()).length > 0) return; // back, on any API process
    const c = await conversations.currentForVisitor(visitorId);
    if (!c || c.id !== conversationId || !WAITING.has(c.status)) return;
    try {
      await ctx.temporal.workflow.getHandle(c.workflowId).signal(visitorLeftQueueSignal, { disconnectedAt });
    } catch (err) {
      if (!isWorkflowGone(err)) throw err;
    }
  }

  return {
    /** A visitor socket closed: if it was the visitor's last one while queued, the grace period starts. */
    async disconnected(visitorId: string): Promise<void> {
      if ((await ctx.io.in(visitorRoom(visitorId)).local.fetchSockets()).length > 0) return;
      const c = await conversations.currentForVisitor(visitorId);
      if (!c || !WAITING.has(c.status)) return;
      const grace = (await conversations.flowOf(c)).definition.settings.offline.queueDropGraceSec;
      if (grace === null) return;
      clearTimeout(timers.get(visitorId));
      const disconnectedAt = Date.now();
      const timer = setTimeout(() => {
        check(visitorId, c.id, disconnectedAt).catch((err: unknown) => console.warn(`[queue] could not drop visitor ${visitorId}:`, err instanceof Error ? err.message : err));
      }, Math.min(grace * 1000, MAX_TIMER_MS));
      timer.unref();
      timers.set(visitorId, timer);
    },

    /** The visitor is back on this process: no drop from here (another process's timer finds the socket). */
    connected(visitorId: string): void {
      clearTimeout(timers.get(visitorId));
      timers.delete(visitorId);
    },

    stop(): void {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
export type QueuedVisitorWatch = ReturnType<typeof queuedVisitorWatch>;
