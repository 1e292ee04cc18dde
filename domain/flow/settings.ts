import { z } from 'zod';
import { DEFAULT_FLOW_ERROR_TEXT } from './limits.js';
import { DEFAULT_RATING_LABELS } from './rating-options.js';
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
    // Issue 19 (the Tencent/Easemob options). Defaulted when a flow is parsed, so a conversation started
    // before them (its definition in the workflow's input lacks them) replays as it ran: see RATING_DEFAULTS.
    /** Stars (Tencent type 1) or numbered buttons (type 2), scored 1..scale. */
    style: z.enum(['stars', 'numeric']).default('stars'),
    scale: z.number().int().min(2, 'must be at least 2').max(10, 'must be at most 10').default(5),
    /** One label per score, lowest first (Tencent's menu contents); empty: no labels. */
    labels: z.array(z.string().trim().min(1).max(60)).max(10).default([...DEFAULT_RATING_LABELS]),
    /** Ask "was your question resolved?" (yes/no) with the rating. */
    askResolved: z.boolean().default(false),
    resolvedText: z.string().min(1).max(200).default('Was your question resolved?'),
    /** The visitor may add a comment. */
    comment: z.boolean().default(true),
    /** Invite a rating only when an agent served the conversation (never after a bot-only one). */
    agentServedOnly: z.boolean().default(true),
  }).prefault({}).refine((r) => r.labels.length === 0 || r.labels.length === r.scale, {
    message: 'labels: give one label per score (as many as the scale) or none', path: ['labels'],
  }),
  workingHours: WorkingHoursSchema.nullable().default(null),
  /**
   * Issue 18: what the visitor is told when a transfer moves them to an agent (`${agentName}` is the new
   * agent) or to a team's queue (`${teamName}`). Optional, not defaulted here: conversations started before
   * these settings existed say the same default text on replay (the default is applied in the machine).
   */
  transferText: z.string().min(1).max(1000).optional(),
  transferToTeamText: z.string().min(1).max(1000).optional(),
});
export type FlowSettings = z.infer<typeof FlowSettingsSchema>;
