import { z } from 'zod';
import { DEFAULT_FLOW_ERROR_TEXT } from './limits.js';
import { MenuItemSchema } from '../messages.js';

/** Where a node is drawn in the designer. */
const PositionSchema = z.object({ x: z.number(), y: z.number() });

/** Outgoing edge. `on` names the outcome that follows it (e.g. a menu item id, `next`, `fallback`, `failure`). */
export const EdgeSchema = z.object({ on: z.string().min(1).max(64), to: z.string().min(1).max(64) });
export type Edge = z.infer<typeof EdgeSchema>;

/** A flow variable name, usable as `${name}` in texts. `__proto__` is refused: vars are plain objects. */
export const VariableNameSchema = z.string().regex(/^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]*$/, 'variable name: letter or _, then letters, digits or _');

const base = { id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'node id: letters, digits, _ or -'), position: PositionSchema.optional(), edges: z.array(EdgeSchema).default([]) };

export const ValidationRuleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('required'), message: z.string() }),
  z.object({ type: z.literal('regex'), pattern: z.string(), message: z.string() }),
  z.object({ type: z.literal('email'), message: z.string() }),
  z.object({ type: z.literal('phone'), message: z.string() }),
  z.object({ type: z.literal('range'), min: z.number().optional(), max: z.number().optional(), message: z.string() }),
  z.object({ type: z.literal('maxLength'), max: z.number().int().positive(), message: z.string() }),
]);
export type ValidationRule = z.infer<typeof ValidationRuleSchema>;

export const ConditionTestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.enum(['equals', 'notEquals', 'contains', 'matches']), variable: VariableNameSchema, value: z.string() }),
  z.object({ op: z.enum(['gt', 'gte', 'lt', 'lte']), variable: VariableNameSchema, value: z.number() }),
  z.object({ op: z.literal('workingHours') }),
]);
export type ConditionTest = z.infer<typeof ConditionTestSchema>;

/** Each node type: edges it may use are documented beside it. */
export const FlowNodeSchema = z.discriminatedUnion('type', [
  // edges: next
  z.object({ ...base, type: z.literal('message'), config: z.object({ text: z.string().min(1) }) }),
  // edges: one per item id, `fallback` after the retry limit
  z.object({
    ...base,
    type: z.literal('menu'),
    config: z.object({
      header: z.string(),
      items: z.array(MenuItemSchema.extend({ back: z.boolean().optional() })),
      tail: z.string().optional(),
      retryMessage: z.string().default('Please choose one of the options.'),
      maxRetries: z.number().int().min(0).max(10).default(2),
    }),
  }),
  // edges: next, `fallback` after the retry limit
  z.object({
    ...base,
    type: z.literal('form'),
    config: z.object({
      prompt: z.string().min(1),
      formType: z.enum(['text', 'options']),
      options: z.array(z.string().min(1)).optional(),
      variable: VariableNameSchema,
      /** Notice sent when an answer is not one of the options (options forms); text forms use their rules' messages. */
      retryMessage: z.string().optional(),
      rules: z.array(ValidationRuleSchema).default([]),
      maxRetries: z.number().int().min(0).max(10).default(2),
    }),
  }),
  // edges: true, false
  z.object({ ...base, type: z.literal('condition'), config: z.object({ all: z.array(ConditionTestSchema).min(1) }) }),
  // edges: next, failure
  z.object({
    ...base,
    type: z.literal('http'),
    config: z.object({
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      method: z.enum(['GET', 'POST']).default('POST'),
      /** Variables sent in the JSON body (POST) or query (GET). */
      send: z.array(VariableNameSchema).default([]),
      /** variable name -> dot path into the JSON answer (`a.b.0.c`; empty path = the whole answer) */
      map: z.record(VariableNameSchema, z.string()).default({}),
      timeoutMs: z.number().int().min(100).max(60_000).default(5000),
      maxAttempts: z.number().int().min(1).max(10).default(3),
    }),
  }),
  // edges: failed (optional; without it a failed hand-off ends the conversation)
  z.object({
    ...base,
    type: z.literal('handoff'),
    config: z.object({
      teamId: z.string().nullable().default(null),
      connecting: z.string().default('Connecting you to an agent…'),
      connected: z.string().default('You are now chatting with ${agentName}.'),
      failed: z.string().default('Sorry, no agent is available right now.'),
    }),
  }),
  z.object({ ...base, type: z.literal('rating'), config: z.object({ text: z.string().optional() }) }),
  z.object({ ...base, type: z.literal('end'), config: z.object({ text: z.string().optional() }) }),
]);
export type FlowNode = z.infer<typeof FlowNodeSchema>;
export type FlowNodeType = FlowNode['type'];

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
  }).prefault({}),
  workingHours: WorkingHoursSchema.nullable().default(null),
});
export type FlowSettings = z.infer<typeof FlowSettingsSchema>;

export const FlowDefinitionSchema = z.object({
  start: z.string().min(1),
  variables: z.array(VariableNameSchema).default([]),
  nodes: z.array(FlowNodeSchema).min(1),
  settings: FlowSettingsSchema.prefault({}),
});
export type FlowDefinition = z.infer<typeof FlowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof FlowDefinitionSchema>;

/** Variables every conversation provides without a node setting them. */
export const BUILTIN_VARIABLES = ['visitorName', 'agentName', 'QueuePosition', 'WaitNo', 'channel'] as const;
