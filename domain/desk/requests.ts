import type { OfferEvent, TransferRequestEvent } from '../contracts/events.js';
import type { AgentView, BaseStrategy, QueueEntry } from './state.js';

// What the desk is asked to do, as the dispatcher workflow's updates and signals carry it
// (domain/contracts/dispatcher-workflow.ts).

/** A conversation to queue (the desk numbers it and tracks who declined it). */
export type EnqueueRequest = Omit<QueueEntry, 'declinedBy' | 'seq'>;

export interface AgentProfileUpdate {
  agentId: string;
  name: string;
  maxConversations: number;
  teamIds: string[];
}

/** What a reconnecting agent needs: its state, and the offers and transfer requests still waiting for its answer. */
export type AgentReconnect = AgentView & { pendingOffers: OfferEvent[]; pendingTransfers: TransferRequestEvent[] };

export interface TransferRequest {
  transferId: string;
  conversationId: string;
  fromAgentId: string;
  toAgentId?: string;
  toTeamId?: string;
  toTeamName?: string;
  /** The target team's own strategy, used if the conversation has to wait in that team's queue. */
  toTeamStrategy?: BaseStrategy | null;
}
export interface TransferAnswer { outcome: 'pending' | 'moved' | 'queued'; toAgentId: string | null; expiresAt: string | null }
