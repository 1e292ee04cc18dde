import { z } from 'zod';
import { DEFAULT_FLOW_ERROR_TEXT } from './limits.js';
export { DEFAULT_TRANSFER_TEXT, DEFAULT_TRANSFER_TO_TEAM_TEXT } from './transfer-texts.js';

export const WorkingHoursSchema = z.object({
  timeZone: z.string().default('UTC'),
  /** 0 = Sunday … 6 = Saturday; times as HH:MM, end exclusive. */
  /** A range whose end is not after its start runs overnight into the next day. */
  weekly: z.array(z.object({
    day: z.number().int().min(0).max(6),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time: HH:MM, 00:00 to 23:59'),
    end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'time: HH:MM, 00:00 to 24:00'),
  })).default([]),
  /** YYYY-MM-DD dates (in timeZone) that are closed all day. */
  holidays: z.array(z.string().regex(/^\d{4}-\d\d-\d\d$/)).default([]),
});
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

/** Longest flow timer: 30 days (a larger number would overflow the workflow's timer arithmetic). */
export const MAX_FLOW_TIMER_SEC = 30 * 24 * 3600;
/** Least queue reminder interval: it repeats for every waiting visitor (issue 16, item 13). */
export const MIN_QUEUE_REMINDER_SEC = 5;

/** A flow timer: whole seconds from `min` to 30 days. Checked when a flow is validated or published. */
const timerSec = (min = 1) => z.number().min(min, `must be at least ${min} s`).max(MAX_FLOW_TIMER_SEC, `must be at most ${MAX_FLOW_TIMER_SEC} s (30 days)`).int('must be a whole number of seconds');

/**
 * Issue 19, "when nobody can answer": what a hand-off does when no agent of its team is signed in or it
 * is outside `workingHours`. `queue`: wait in the queue anyway (Parley before issue 19); `message`: offer
 * the visitor to leave a message with contact details instead; `fail`: take the hand-off node's `failed` edge.
 */
export const NobodyAnswersPolicySchema = z.enum(['queue', 'message', 'fail']);
export type NobodyAnswersPolicy = z.infer<typeof NobodyAnswersPolicySchema>;

/**
 * Issue 19's settings, one object so conversations started before it (whose flow input has no `offline`)
 * keep the old behaviour on replay: the machine reads it as possibly absent (docs/flows.md, "When nobody can answer").
 */
export const OfflineSettingsSchema = z.object({
  whenNobodyOnline: NobodyAnswersPolicySchema.default('message'),
  outsideWorkingHours: NobodyAnswersPolicySchema.default('message'),
  /** Said with the leave-a-message form when no agent is signed in. */
  nobodyOnlineText: z.string().min(1).max(1000).default('Sorry, nobody is available to chat right now. Leave us a message and we will get back to you.'),
  /** Said with the form outside working hours. */
  outsideHoursText: z.string().min(1).max(1000).default('We are closed right now. Leave us a message and we will get back to you.'),
  /** Offer the form to a visitor still queued after this long (they keep their place unless they accept); null: never. */
  waitLimitSec: timerSec().nullable().default(600),
  waitLimitText: z.string().min(1).max(1000).default('Sorry for the wait. You can keep your place in the queue, or leave us a message and we will get back to you.'),
  /** The closing text once the visitor left a message. */
  leftText: z.string().min(1).max(1000).default('Thank you, we received your message and will get back to you soon.'),
  /** Queue reminders (every queueReminderSec) at most this many times, each only when the position changed; null: no limit. */
  queueReminderMax: z.number().int().min(0).max(100).nullable().default(1),
  /** A queued visitor whose last connection closed is dropped from the queue after this long, unless back; null: never. */
  queueDropGraceSec: timerSec().nullable().default(30),
  /** The closing text when a queued visitor left. */
  droppedText: z.string().min(1).max(1000).default('You left the chat before an agent was free, so we took you out of the queue.'),
});
export type OfflineSettings = z.infer<typeof OfflineSettingsSchema>;

/** Per-flow settings; defaults come from the seed products (Tencent, B3Networks, Easemob). */
export const FlowSettingsSchema = z.object({
  /** Visitor silent after an agent's message: optional reminder, then auto-close (Tencent: 600 s). */
  visitorTimeoutSec: timerSec().default(600),
  visitorReminderSec: timerSec().nullable().default(null),
  visitorReminderText: z.string().default('Are you still there?'),
  visitorTimeoutText: z.string().default('This conversation was closed because we did not hear back from you.'),
  /** No activity while assigned / while waiting (B3Networks: 1 h / 6 h). */
  assignedIdleSec: timerSec().default(3600),
  waitingIdleSec: timerSec().default(21600),
  idleCloseText: z.string().default('This conversation was closed after a period of inactivity.'),
  queueText: z.string().default('You are number ${QueuePosition} in the queue (${WaitNo} ahead of you).'),
  queueReminderSec: timerSec(MIN_QUEUE_REMINDER_SEC).nullable().default(60),
  closeText: z.string().default('The conversation has ended. Thank you for contacting us.'),
  /** Said (as is, no placeholders) when the flow cannot go on: a broken flow, or one past its bounds (domain/flow/limits.ts). */
  flowErrorText: z.string().min(1).max(1000).default(DEFAULT_FLOW_ERROR_TEXT),
  rating: z.object({
    enabled: z.boolean().default(true),
    text: z.string().default('How would you rate our service?'),
    /** Tencent's effectiveHour, in seconds here so tests can shorten it. */
    validitySec: timerSec().default(12 * 3600),
    afterAutoClose: z.boolean().default(true),
    policy: z.enum(['first', 'last']).default('last'),
    thanksText: z.string().default('Thank you for your feedback!'),
  }).prefault({}),
  workingHours: WorkingHoursSchema.nullable().default(null),
  /**
   * Issue 18: what the visitor is told when a transfer moves them to an agent (`${agentName}` is the new
   * agent) or to a team's queue (`${teamName}`). Optional, not defaulted here: conversations started before
   * these settings existed say the same default text on replay (the default is applied in the machine).
   */
  transferText: z.string().min(1).max(1000).optional(),
  transferToTeamText: z.string().min(1).max(1000).optional(),
  /** Issue 19: when nobody can answer (leave a message, wait limit, reminders, queued visitors who left). */
  offline: OfflineSettingsSchema.prefault({}),
});
export type FlowSettings = z.infer<typeof FlowSettingsSchema>;
