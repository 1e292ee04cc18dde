import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AgentStatus } from '../agents.js';
import type { AgentProfileUpdate, AgentReconnect, EnqueueRequest, TransferAnswer, TransferRequest } from '../desk/requests.js';
import type { AgentView, DispatcherSettings, DispatcherSnapshot } from '../desk/state.js';

export type { AgentProfileUpdate, AgentReconnect, EnqueueRequest, TransferAnswer, TransferRequest };

// The dispatcher workflow's start input, signals, updates and query, with their payloads: plain names,
// imported by the API and activities without loading workflow code.

/** What a desk's dispatcher workflow starts with (and carries across continue-as-new). */
export interface DispatcherInput {
  deskId: string;
  settings: DispatcherSettings;
  carried?: DispatcherSnapshot;
  historyLimit?: number;
}
/** The dispatcher workflow's signature, for typed starts from clients without importing workflow code. */
export type DispatcherWorkflow = (input: DispatcherInput) => Promise<void>;

export const dispatcherWorkflowId = (deskId: string) => `dispatcher-${deskId}`;
/** The desk a dispatcher workflow id names, or null for any other workflow id. */
export const deskIdOf = (workflowId: string): string | null => (workflowId.startsWith('dispatcher-') ? workflowId.slice('dispatcher-'.length) : null);

/**
 * Puts a conversation in the queue. An update, not a signal: a signal arriving while the desk's
 * continue-as-new task is in flight makes the server refuse that task, and the retry replays the whole
 * history (seconds, during which the desk routes nothing); updates do not.
 */
export const enqueueUpdate = defineUpdate<{ conversationId: string }, [EnqueueRequest]>('enqueue');
/** The conversation ended or left the queue: free the agent's slot or drop the queue entry (an update for the reason given at enqueueUpdate). */
export const releaseUpdate = defineUpdate<{ conversationId: string }, [{ conversationId: string }]>('release');
/** The serving agent closes a conversation it holds: the slot frees at once and the desk tells the conversation to close. */
export const closeHeldUpdate = defineUpdate<{ conversationId: string }, [{ agentId: string; conversationId: string }]>('closeHeldConversation');
/** An agent's socket dropped (an update, like the enqueue: an API process's restart drops many at once). */
export const agentDisconnectedUpdate = defineUpdate<{ agentId: string }, [{ agentId: string }]>('agentDisconnected');
export const settingsChangedSignal = defineSignal<[DispatcherSettings]>('routingSettingsChanged');

export const setAgentStatusUpdate = defineUpdate<AgentView, [AgentProfileUpdate & { status: AgentStatus; reason?: string }]>('setAgentStatus');
/** The agent's socket is back (any API process): cancels a pending disconnect; null if the agent never signed in. */
export const agentConnectedUpdate = defineUpdate<AgentReconnect | null, [{ agentId: string }]>('agentConnected');
export const updateAgentProfileSignal = defineSignal<[AgentProfileUpdate]>('agentProfileChanged');
export const acceptOfferUpdate = defineUpdate<{ conversationId: string }, [{ agentId: string; conversationId: string }]>('acceptOffer');
export const rejectOfferUpdate = defineUpdate<{ conversationId: string }, [{ agentId: string; conversationId: string }]>('rejectOffer');
/** An agent joins a queued conversation by hand, or an admin assigns it to an agent. */
export const claimUpdate = defineUpdate<{ conversationId: string }, [{ agentId: string; conversationId: string }]>('claimQueuedConversation');

export const requestTransferUpdate = defineUpdate<TransferAnswer, [TransferRequest]>('requestTransfer');
export const answerTransferUpdate = defineUpdate<{ outcome: 'accepted' | 'rejected' }, [{ transferId: string; agentId: string; accept: boolean }]>('answerTransfer');

/**
 * For tests and operators only. Querying a busy dispatcher right after a worker restart can make the new
 * worker run pending signals outside a workflow task and later diverge from replay (Temporal TS SDK 1.24;
 * docs/faults.md), so the API reads the desk projection in PostgreSQL instead.
 */
export const dispatcherStateQuery = defineQuery<DispatcherSnapshot>('dispatcherState');
