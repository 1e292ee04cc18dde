import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClosedBy } from '../messages.js';
import type { ConversationSnapshot } from '../conversation-state.js';

// Signals, updates and the query the conversation workflow accepts; names read well in the Temporal UI
// history. Definitions are plain names with payload types, so the API and activities import them
// without loading workflow code.

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
/** Sent by the desk (closeHeldConversation) and by the API for every close: durable once the server accepts it. */
export const closeSignal = defineSignal<[CloseRequest]>('closeConversation');

export interface RateRequest { score: number; comment?: string; requestId: string }
export interface RateResult { counted: boolean }
/** Sent by API processes of earlier code (still handled for them): an update is lost if its workflow task fails. */
export const rateUpdate = defineUpdate<RateResult, [RateRequest]>('rateConversation');
/**
 * A rating the API has checked against the projection and acknowledged: a signal, so it is in the
 * history once the server accepts it, whatever happens to the worker. `submittedAt` (epoch ms, the API's
 * clock) is when it was accepted: it is judged against the rating window by that time, not by when a
 * worker gets to it.
 */
export interface RateSubmission extends RateRequest { submittedAt: number }
export const rateSignal = defineSignal<[RateSubmission]>('ratingSubmitted');

/** Sent by API processes of earlier code (still handled for them); the API now closes with closeSignal. */
export const closeUpdate = defineUpdate<{ status: string }, [CloseRequest]>('close');

export const stateQuery = defineQuery<ConversationSnapshot>('state');
