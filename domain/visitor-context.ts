import { z } from 'zod';

/**
 * The visitor in context, as the workbench's side panel shows it: the visitor's profile (identity,
 * custom attributes, VIP) with its audit, and what one conversation knows about where the visitor came
 * from (page, referrer, browser, language, time zone, the pages visited during the chat, the flow's
 * variables). Every input here comes from a visitor or an agent: each field is bounded.
 */
export const PROFILE_LIMITS = {
  displayName: 80,
  email: 254,
  phone: 32,
  company: 120,
  attributeKey: 40,
  attributeValue: 500,
  attributes: 30,
  url: 2000,
  title: 300,
  language: 35,
  timeZone: 64,
  /** Pages kept per conversation (the oldest go first). */
  journey: 100,
  /** Audit entries a profile answer carries (newest first). */
  audit: 50,
} as const;

/** A custom attribute's key: a letter first, then letters, digits, `_`, `-` or `.`. */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** Digits with the usual separators and an optional leading `+`, at least 3 digits (the lookahead: the OpenAPI schema says it too). */
const PHONE_PATTERN = /^(?=(?:[^0-9]*[0-9]){3})\+?[0-9][0-9 ()./-]*$/;

const optionalText = (max: number, what: string) => z.string().trim().max(max, `${what} must be at most ${max} characters`);

export const AttributeKeySchema = z.string()
  .min(1, 'an attribute key must not be empty')
  .max(PROFILE_LIMITS.attributeKey, `an attribute key must be at most ${PROFILE_LIMITS.attributeKey} characters`)
  .regex(ATTRIBUTE_KEY_PATTERN, 'an attribute key starts with a letter and has only letters, digits, "_", "-" or "."');

/**
 * The first bad key of a raw attributes object, as a message, or null. Run on the parsed JSON as sent too:
 * a key like `__proto__` never becomes an own property of the validated copy, so only the raw body shows it.
 */
export function attributeKeyProblem(attributes: unknown): { key: string; message: string } | null {
  if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) return null;
  for (const key of Object.keys(attributes)) {
    const r = AttributeKeySchema.safeParse(key);
    if (!r.success) return { key, message: `${r.error.issues[0].message} (got "${key.slice(0, 60)}")` };
  }
  return null;
}

/**
 * An edit of the profile: only the fields present change; `null` (or an empty string) clears a field,
 * an attribute set to `null` is removed. The attribute count is checked against the merged result.
 */
export const VisitorProfilePatchSchema = z.object({
  displayName: z.string().trim().min(1, 'the display name must not be empty').max(PROFILE_LIMITS.displayName, `the display name must be at most ${PROFILE_LIMITS.displayName} characters`).optional(),
  email: z.union([z.literal(''), z.email('email must be an e-mail address, like name@example.com').max(PROFILE_LIMITS.email)]).nullable().optional(),
  phone: z.union([
    z.literal(''),
    z.string().trim().max(PROFILE_LIMITS.phone, `phone must be at most ${PROFILE_LIMITS.phone} characters`)
      .regex(PHONE_PATTERN, 'phone must be at least 3 digits, with spaces and ( ) . / - and an optional leading +'),
  ]).nullable().optional(),
  company: optionalText(PROFILE_LIMITS.company, 'company').nullable().optional(),
  // The key schema puts the key rule in the OpenAPI document (propertyNames); the refinement below words the answer.
  attributes: z.record(AttributeKeySchema, optionalText(PROFILE_LIMITS.attributeValue, 'an attribute value').nullable(), {
    error: (issue) => (issue.code === 'invalid_key' ? `${issue.issues[0]?.message ?? 'not an attribute key'} (got "${String(issue.path?.at(-1) ?? '').slice(0, 60)}")` : undefined),
  })
    .superRefine((attributes, ctx) => {
      const keys = Object.keys(attributes);
      if (keys.length > PROFILE_LIMITS.attributes * 2) ctx.addIssue({ code: 'custom', message: 'too many attributes in one edit' });
      // Checked here rather than as the record's key schema, so the answer says what is wrong with the key.
      const problem = attributeKeyProblem(attributes);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.key] });
    })
    .optional(),
}).strict();
export type VisitorProfilePatch = z.infer<typeof VisitorProfilePatchSchema>;

export const VipInputSchema = z.object({ vip: z.boolean({ error: 'vip must be true or false' }) }).strict();

/** Issue 19: who the site says the visitor is (Parley.identify); `verified` when its HMAC checked out. */
export const IDENTITY_STATUSES = ['anonymous', 'verified', 'unverified'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];
export const VisitorIdentitySchema = z.object({
  status: z.enum(IDENTITY_STATUSES),
  /** The site's user id (verified, or only claimed). */
  externalId: z.string().nullable(),
  channel: z.string().nullable(),
});
export type VisitorIdentity = z.infer<typeof VisitorIdentitySchema>;

export const VisitorProfileSchema = z.object({
  visitorId: z.uuid(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  vip: z.boolean(),
  identity: VisitorIdentitySchema.optional(),
});
export type VisitorProfile = z.infer<typeof VisitorProfileSchema>;

/** The profile fields an edit can change, as the audit names them (`attributes.<key>` for an attribute). */
export const PROFILE_FIELDS = ['displayName', 'email', 'phone', 'company', 'vip'] as const;

export const ProfileAuditEntrySchema = z.object({
  id: z.number().int(),
  field: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  actorId: z.uuid(),
  actorName: z.string().nullable(),
  at: z.string(),
});
export type ProfileAuditEntry = z.infer<typeof ProfileAuditEntrySchema>;

/** A profile with its latest audit entries (newest first); `editable`: whether the caller may change it now. */
export const VisitorProfileViewSchema = z.object({
  profile: VisitorProfileSchema,
  audit: z.array(ProfileAuditEntrySchema),
  editable: z.boolean(),
});
export type VisitorProfileView = z.infer<typeof VisitorProfileViewSchema>;

const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL` })
  .max(PROFILE_LIMITS.url, `${what} must be at most ${PROFILE_LIMITS.url} characters`);

/** What the visitor app reports about the page the chat starts on (the user agent is read from the request). */
export const VisitorPageInfoSchema = z.object({
  url: httpUrl('url'),
  title: optionalText(PROFILE_LIMITS.title, 'title').optional(),
  referrer: z.union([z.literal(''), httpUrl('referrer')]).optional(),
  language: z.string().max(PROFILE_LIMITS.language).regex(/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/, 'language must be a language tag, like en-GB').optional(),
  /** Minutes to add to local time to get UTC, as JavaScript's Date#getTimezoneOffset (UTC+8 is -480). */
  timezoneOffset: z.number().int().min(-840).max(840).optional(),
  timeZone: z.string().max(PROFILE_LIMITS.timeZone).regex(/^[A-Za-z0-9_+\-/]+$/, 'timeZone must be an IANA name, like Asia/Shanghai').optional(),
}).strict();
export type VisitorPageInfo = z.infer<typeof VisitorPageInfoSchema>;

/** One page the visitor viewed during the chat (the embeddable widget reports them). */
export const PageViewInputSchema = z.object({
  url: httpUrl('url'),
  title: optionalText(PROFILE_LIMITS.title, 'title').optional(),
  /** When the page was shown (the visitor's clock); the server's time is used when it is missing or implausible. */
  at: z.iso.datetime({ offset: true, error: 'at must be an ISO date-time' }).optional(),
}).strict();
export type PageViewInput = z.infer<typeof PageViewInputSchema>;

export const PageViewSchema = z.object({ url: z.string(), title: z.string().nullable(), at: z.string() });
export type PageView = z.infer<typeof PageViewSchema>;

/** Issue 19 (domain/prechat.ts): what the agent's context panel shows of the visitor's pre-chat answers. */
export const PrechatContextSchema = z.object({
  channel: z.string(),
  submittedAt: z.string(),
  consent: z.object({ text: z.string(), at: z.string() }).nullable(),
  answers: z.array(z.object({ id: z.string(), label: z.string(), value: z.string() })),
});
export type PrechatContext = z.infer<typeof PrechatContextSchema>;

/** What the side panel shows about one conversation, besides the profile. */
export const ConversationContextSchema = z.object({
  conversationId: z.uuid(),
  visitorId: z.uuid(),
  channel: z.string(),
  startedAt: z.string(),
  page: z.object({ url: z.string(), title: z.string().nullable(), referrer: z.string().nullable() }).nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  language: z.string().nullable(),
  timezoneOffset: z.number().int().nullable(),
  timeZone: z.string().nullable(),
  /** The service flow's variables (form answers, menu choices, web hook results) as last projected. */
  flowVariables: z.record(z.string(), z.string()),
  /** Pages viewed during the chat, oldest first (the last PROFILE_LIMITS.journey). */
  journey: z.array(PageViewSchema),
  /** Issue 19: the visitor's latest pre-chat answers (consent with its text and time), null if none. */
  prechat: PrechatContextSchema.nullable().optional(),
});
export type ConversationContext = z.infer<typeof ConversationContextSchema>;

/** GET /api/conversations/:id/visitor-context: the conversation's context and its visitor's profile. */
export const VisitorContextViewSchema = VisitorProfileViewSchema.extend({ context: ConversationContextSchema });
export type VisitorContextView = z.infer<typeof VisitorContextViewSchema>;
