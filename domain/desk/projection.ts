import type { AgentStatus } from '../agents.js';
import type { DispatcherSnapshot } from './state.js';

export interface AgentPresenceRow {
  agentId: string;
  status: AgentStatus;
  reason: string | null;
  maxConversations: number;
  conversationIds: string[];
  offeredIds: string[];
  disconnected: boolean;
}

export interface QueueRow {
  conversationId: string;
  teamId: string | null;
  vip: boolean;
  visitorName: string;
  enqueuedAt: number;
  seq: number;
  /** Position within its team's queue, from 1 (as computed by dispatch). */
  position: number;
  /** False once the conversation left the queue (assigned, offered, closed). */
  queued: boolean;
}

/** What changed on the desk since the last projection; `revision` orders writes that land out of order. */
export interface DeskProjection {
  deskId: string;
  revision: number;
  agents: AgentPresenceRow[];
  queue: QueueRow[];
}

/**
 * Keeps what was last projected and returns only the rows that differ, so every turn of the dispatcher
 * writes a small diff. A new instance (a new run after continue-as-new) projects everything once.
 */
export class DeskProjector {
  private agents = new Map<string, string>();
  private queue = new Map<string, QueueRow>();

  diff(s: DispatcherSnapshot, revision: number): DeskProjection | null {
    const agents: AgentPresenceRow[] = [];
    for (const a of Object.values(s.agents)) {
      const row: AgentPresenceRow = {
        agentId: a.agentId, status: a.status, reason: a.reason, maxConversations: a.maxConversations,
        conversationIds: [...a.conversationIds], offeredIds: [...a.offeredIds], disconnected: a.disconnectedAt !== null,
      };
      const key = JSON.stringify(row);
      if (this.agents.get(a.agentId) !== key) {
        this.agents.set(a.agentId, key);
        agents.push(row);
      }
    }

    const queue: QueueRow[] = [];
    const waiting = new Set<string>();
    for (const e of s.queue) {
      waiting.add(e.conversationId);
      // Positions are the ones dispatch just computed (and the visitor is, or soon will be, told).
      const row: QueueRow = {
        conversationId: e.conversationId, teamId: e.teamId, vip: e.vip, visitorName: e.visitorName,
        enqueuedAt: e.enqueuedAt, seq: e.seq, position: s.toldPositions[e.conversationId] ?? 0, queued: true,
      };
      const last = this.queue.get(e.conversationId);
      if (!last || JSON.stringify(last) !== JSON.stringify(row)) {
        this.queue.set(e.conversationId, row);
        queue.push(row);
      }
    }
    for (const [id, row] of this.queue) {
      if (waiting.has(id)) continue;
      this.queue.delete(id);
      queue.push({ ...row, queued: false });
    }

    if (agents.length === 0 && queue.length === 0) return null;
    return { deskId: s.deskId, revision, agents, queue };
  }
}
