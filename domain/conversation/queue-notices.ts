/*
 * Conversations leave their position notices to the desk: the dispatcher fills the queue text's open
 * slots and one activity writes every changed position (instead of a signal and a workflow task per
 * waiting conversation).
 */

/**
 * The queue text's placeholders only the desk knows. `EstimatedWait` (issue 19) is left open by the
 * desk too and filled by the activity that writes the notice, from recent service times.
 */
export const QUEUE_SLOTS = ['QueuePosition', 'WaitNo', 'EstimatedWait'] as const;

