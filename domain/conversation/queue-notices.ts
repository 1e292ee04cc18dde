/*
 * Conversations leave their position notices to the desk: the dispatcher fills the queue text's open
 * slots and one activity writes every changed position (instead of a signal and a workflow task per
 * waiting conversation).
 */

/** The queue text's placeholders only the desk knows. */
export const QUEUE_SLOTS = ['QueuePosition', 'WaitNo'] as const;

