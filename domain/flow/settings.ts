import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../locales.js';
import { DEFAULT_TEXTS } from './default-texts.js';
import { localizedText } from './localized-text-schema.js';
export { DEFAULT_OTHER_TEAM_NAME, DEFAULT_TRANSFER_TEXT, DEFAULT_TRANSFER_TO_TEAM_TEXT } from './transfer-texts.js';
import { DEFAULT_RATING_LABELS } from './rating-options.js';

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

/** A settings text (issue 19): a plain string, or per-locale variants (localized-text.ts). */
const text = (base = z.string()) => localizedText(base);

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
  nobodyOnlineText: text(z.string().min(1).max(1000)).default(DEFAULT_TEXTS.nobodyOnlineText),
  /** Said with the form outside working hours. */
  outsideHoursText: text(z.string().min(1).max(1000)).default(DEFAULT_TEXTS.outsideHoursText),
  /** Offer the form to a visitor still queued after this long (they keep their place unless they accept); null: never. */
  waitLimitSec: timerSec().nullable().default(600),
  waitLimitText: text(z.string().min(1).max(1000)).default(DEFAULT_TEXTS.waitLimitText),
  /** The closing text once the visitor left a message. */
  leftText: text(z.string().min(1).max(1000)).default(DEFAULT_TEXTS.leftText),
  /** Queue reminders (every queueReminderSec) at most this many times, each only when the position changed; null: no limit. */
  queueReminderMax: z.number().int().min(0).max(100).nullable().default(1),
  /** A queued visitor whose last connection closed is dropped from the queue after this long, unless back; null: never. */
  queueDropGraceSec: timerSec().nullable().default(30),
  /** The closing text when a queued visitor left. */
  droppedText: text(z.string().min(1).max(1000)).default(DEFAULT_TEXTS.droppedText),
});
export type OfflineSettings = z.infer<typeof OfflineSettingsSchema>;


/**
 * Per-flow settings; defaults come from the seed products (Tencent, B3Networks, Easemob). Every text a
 * conversation sends on its own (not a node's) is one of them, with English and Chinese defaults
 * (default-texts.ts); the list is text-fields.ts (SETTINGS_TEXT_FIELDS).
 */
export const FlowSettingsSchema = z.object({
  /**
   * Issue 19: the locale of a visitor whose own locale has no variant of a text (before English). Optional:
   * absent means English. Every text with per-locale variants must have this one.
   */
  defaultLocale: z.enum(SUPPORTED_LOCALES, { error: `must be one of ${SUPPORTED_LOCALES.join(', ')}` }).optional(),
  /** Visitor silent after an agent's message: optional reminder, then auto-close (Tencent: 600 s). */
  visitorTimeoutSec: timerSec().default(600),
  visitorReminderSec: timerSec().nullable().default(null),
  visitorReminderText: text().default(DEFAULT_TEXTS.visitorReminderText),
  visitorTimeoutText: text().default(DEFAULT_TEXTS.visitorTimeoutText),
  /** No activity while assigned / while waiting (B3Networks: 1 h / 6 h). */
  assignedIdleSec: timerSec().default(3600),
  waitingIdleSec: timerSec().default(21600),
  idleCloseText: text().default(DEFAULT_TEXTS.idleCloseText),
  queueText: text().default(DEFAULT_TEXTS.queueText),
  queueReminderSec: timerSec(MIN_QUEUE_REMINDER_SEC).nullable().default(60),
  closeText: text().default(DEFAULT_TEXTS.closeText),
  /** Said (as is, no placeholders) when the flow cannot go on: a broken flow, or one past its bounds (domain/flow/limits.ts). */
  flowErrorText: text(z.string().min(1).max(1000)).default(DEFAULT_TEXTS.flowErrorText),
  rating: z.object({
    enabled: z.boolean().default(true),
    text: text().default(DEFAULT_TEXTS.ratingText),
    /** Tencent's effectiveHour, in seconds here so tests can shorten it. */
    validitySec: timerSec().default(12 * 3600),
    afterAutoClose: z.boolean().default(true),
    policy: z.enum(['first', 'last']).default('last'),
    thanksText: text().default(DEFAULT_TEXTS.ratingThanksText),
    // Issue 19 (the Tencent/Easemob options). Defaulted when a flow is parsed, so a conversation started
    // before them (its definition in the workflow's input lacks them) replays as it ran: see RATING_DEFAULTS.
    /** Stars (Tencent type 1) or numbered buttons (type 2), scored 1..scale. */
    style: z.enum(['stars', 'numeric']).default('stars'),
    scale: z.number().int().min(2, 'must be at least 2').max(10, 'must be at most 10').default(5),
    /** One label per score, lowest first (Tencent's menu contents); empty: no labels. */
    labels: z.array(text(z.string().trim().min(1).max(60))).max(10).default(DEFAULT_RATING_LABELS.map((l) => ({ ...l }))),
    /** Ask "was your question resolved?" (yes/no) with the rating. */
    askResolved: z.boolean().default(false),
    resolvedText: text(z.string().min(1).max(200)).default(DEFAULT_TEXTS.ratingResolvedText),
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
  transferText: text(z.string().min(1).max(1000)).optional(),
  transferToTeamText: text(z.string().min(1).max(1000)).optional(),
  /** Issue 19: the team's name in `transferToTeamText` when the desk knows neither its name nor its id (optional, as above). */
  otherTeamName: text(z.string().min(1).max(200)).optional(),
  /** Issue 19: when nobody can answer (leave a message, wait limit, reminders, queued visitors who left). */
  offline: OfflineSettingsSchema.prefault({}),
});
export type FlowSettings = z.infer<typeof FlowSettingsSchema>;
