import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ClosedBy } from '../messages.js';
import type { RateSubmission } from '../../domain/conversation/events.js';
import type { ConversationSnapshot } from '../../domain/conversation/state.js';

/** Signals the conversation workflow accepts (names read well in the Temporal UI history) and its query. */
/** A visitor's answer to the bot (flow input). Live chat is not signalled: the chat timers read the transcript. */
export const visitorMessageSignal = defineSignal<[{ messageId: string; text: string; choiceId?: string }]>('visitorMessage');
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

/**
 * A rating the API has checked against the projection and acknowledged: a signal, so it is in the
 * history once the server accepts it, whatever happens to the worker. `submittedAt` (epoch ms, the API's
 * clock) is when it was accepted: it is judged against the rating window by that time, not by when a
 * worker gets to it.
 */
export type { RateSubmission };
export const rateSignal = defineSignal<[RateSubmission]>('ratingSubmitted');

/** Issue 19: the visitor changed language (a supported locale, checked by the API): later texts are said in it. */
export const localeSignal = defineSignal<[{ locale: string }]>('visitorLocaleChanged');
/** Issue 19: the visitor left a message (stored by the API under `leftMessageId`) while the offer was open: the conversation ends. */
export const messageLeftSignal = defineSignal<[{ leftMessageId: string }]>('messageLeft');
/** Issue 19: the queued visitor closed the page and did not come back within the flow's grace period. */
export const visitorLeftQueueSignal = defineSignal<[{ disconnectedAt: number }]>('visitorLeftQueue');

export const stateQuery = defineQuery<ConversationSnapshot>('state');
