import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClosedBy } from '../../shared/messages.js';
import type { ConversationSnapshot } from './state.js';

/** Signals and updates the conversation workflow accepts; names read well in the Temporal UI history. */
/** A visitor's answer to the bot (flow input). Live chat is not signalled: the chat timers read the transcript. */
export const visitorMessageSignal = defineSignal<[{ messageId: string; text: string; choiceId?: string }]>('visitorMessage');
/** No longer sent (live chat left the signal path); handled for running conversations that still receive one. */
export const agentMessageSignal = defineSignal<[{ messageId: string; agentId: string }]>('agentMessage');
export const queueUpdateSignal = defineSignal<[{ position: number; waitNo: number }]>('queuePositionChanged');
export const offeredSignal = defineSignal<[{ agentId: string; agentName: string }]>('offeredToAgent');
export const assignedSignal = defineSignal<[{ agentId: string; agentName: string; teamId: string | null }]>('assignedToAgent');
export const transferredSignal = defineSignal<[{ agentId: string; agentName: string; teamId: string | null; fromAgentId: string }]>('transferredToAgent');
export const requeuedSignal = defineSignal<[{ reason: string; teamId?: string | null; teamName?: string }]>('requeued');
export const handoffFailedSignal = defineSignal<[{ reason: string }]>('handoffFailed');
/**
 * How a conversation is asked to close. `releasedAtDesk`: the desk has already freed the agent's slot
 * (closeHeldConversation), so the conversation does not signal the desk a release of its own.
 */
export interface CloseRequest { by: ClosedBy; actorId: string | null; releasedAtDesk?: boolean }
export const closeSignal = defineSignal<[CloseRequest]>('closeConversation');

export interface RateRequest { score: number; comment?: string; requestId: string }
export interface RateResult { counted: boolean }
export const rateUpdate = defineUpdate<RateResult, [RateRequest]>('rateConversation');

/** Closing through an update lets the API tell the caller it worked (or why not). */
export const closeUpdate = defineUpdate<{ status: string }, [CloseRequest]>('close');

export const stateQuery = defineQuery<ConversationSnapshot>('state');
