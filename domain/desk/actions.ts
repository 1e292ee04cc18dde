import type { AgentStatus } from '../agents.js';
import type { TransferResultEvent } from '../contracts/events.js';
import type { AgentView, QueueEntry, Transfer } from './state.js';

/** Side effects the dispatcher decided on; the workflow performs them after each batch of changes. */
export type DispatchAction =
  | { type: 'assigned'; entry: QueueEntry; agent: AgentView }
  | { type: 'offered'; entry: QueueEntry; agent: AgentView; expiresAt: number }
  | { type: 'position'; conversationId: string; position: number; waitNo: number }
  | { type: 'revoked'; agentId: string; conversationId: string; reason: 'expired' | 'taken' | 'closed' }
  | { type: 'requeued'; conversationId: string; reason: string; teamId: string | null; teamName?: string }
  | { type: 'transferRequested'; transfer: Transfer; fromAgentName: string }
  | { type: 'transferResolved'; transfer: Transfer; outcome: TransferResultEvent['outcome']; toAgentName: string | null }
  | { type: 'transferred'; conversationId: string; agent: AgentView; teamId: string | null; fromAgentId: string }
  | { type: 'handoffFailed'; conversationId: string; reason: string }
  | { type: 'closeRequested'; conversationId: string; agentId: string }
  | { type: 'statusChanged'; agentId: string; status: AgentStatus; reason: string | null };
