import { z } from 'zod';
import { ATTRIBUTE_KEY_PATTERN, PROFILE_LIMITS } from './visitor-context.js';

/**
 * The pre-chat form (issue 19): per channel, what the visitor fills in before the conversation starts:
 * name, e-mail, a consent checkbox with its text and custom fields (text or a choice). Everything an admin
 * writes here is shown to visitors as plain text. The answers go to the visitor's profile (name, e-mail,
 * custom fields as attributes by their id) and, with the consent given, to `prechat_submissions`.
 */
export const PRECHAT_LIMITS = { fields: 10, label: 80, consentText: 1000, options: 20, option: 80, intro: 500, text: 500 } as const;

const label = z.string().trim().min(1, 'a label must not be empty').max(PRECHAT_LIMITS.label, `a label must be at most ${PRECHAT_LIMITS.label} characters`);
const BuiltIn = z.object({ show: z.boolean().default(true), required: z.boolean().default(false) }).strict();

export const PrechatFieldSchema = z.object({
  /** The visitor attribute the answer is saved as. */
  id: z.string().min(1).max(PROFILE_LIMITS.attributeKey).regex(ATTRIBUTE_KEY_PATTERN, 'a field id starts with a letter and has only letters, digits, "_", "-" or "."'),
  label,
  type: z.enum(['text', 'select']),
  /** The choices of a `select` field. */
  options: z.array(z.string().trim().min(1).max(PRECHAT_LIMITS.option)).max(PRECHAT_LIMITS.options).default([]),
  required: z.boolean().default(false),
}).strict().refine((f) => f.type !== 'select' || f.options.length >= 1, { message: 'a select field needs at least one option', path: ['options'] });
export type PrechatField = z.infer<typeof PrechatFieldSchema>;

export const PrechatFormSchema = z.object({
  enabled: z.boolean().default(false),
  /** Shown above the form (plain text); empty: the app's own words. */
  intro: z.string().trim().max(PRECHAT_LIMITS.intro).default(''),
  name: BuiltIn.prefault({ show: true, required: true }),
  email: BuiltIn.prefault({ show: true, required: false }),
  consent: z.object({
    show: z.boolean().default(false),
    /** The consent the visitor agrees to (a shown consent checkbox must be ticked). */
    text: z.string().trim().max(PRECHAT_LIMITS.consentText).default(''),
  }).strict().prefault({}),
  fields: z.array(PrechatFieldSchema).max(PRECHAT_LIMITS.fields, `at most ${PRECHAT_LIMITS.fields} custom fields`).default([]),
}).strict().superRefine((f, ctx) => {
  if (f.consent.show && f.consent.text === '') ctx.addIssue({ code: 'custom', message: 'a shown consent checkbox needs its text', path: ['consent', 'text'] });
  const seen = new Set<string>();
  f.fields.forEach((field, i) => {
    if (['name', 'email', 'consent'].includes(field.id)) ctx.addIssue({ code: 'custom', message: `"${field.id}" is a built-in field; choose another id`, path: ['fields', i, 'id'] });
    if (seen.has(field.id)) ctx.addIssue({ code: 'custom', message: `two fields have the id "${field.id}"`, path: ['fields', i, 'id'] });
    seen.add(field.id);
  });
});
export type PrechatForm = z.infer<typeof PrechatFormSchema>;
export type PrechatFormInput = z.input<typeof PrechatFormSchema>;

export const CHANNEL_PATTERN = /^[a-z0-9-]{1,32}$/;

/** What the visitor sends: every value bounded; checked against the channel's form by `prechatProblems`. */
export const PrechatAnswersSchema = z.object({
  channel: z.string().regex(CHANNEL_PATTERN, 'channel: 1-32 lowercase letters, digits or "-"').default('web'),
  name: z.string().trim().max(PROFILE_LIMITS.displayName, `name must be at most ${PROFILE_LIMITS.displayName} characters`).optional(),
  email: z.string().trim().max(PROFILE_LIMITS.email, `email must be at most ${PROFILE_LIMITS.email} characters`).optional(),
  consent: z.boolean().optional(),
  fields: z.record(z.string().max(PROFILE_LIMITS.attributeKey), z.string().trim().max(PRECHAT_LIMITS.text, `an answer must be at most ${PRECHAT_LIMITS.text} characters`))
    .refine((r) => Object.keys(r).length <= PRECHAT_LIMITS.fields, 'too many answers').default({}),
}).strict();
export type PrechatAnswers = z.infer<typeof PrechatAnswersSchema>;
export type PrechatAnswersInput = z.input<typeof PrechatAnswersSchema>;

/** A field's problem: `code` for the app to word it, `message` in English for API clients. */
export interface PrechatProblem { field: string; code: 'required' | 'email' | 'option' | 'unknown' | 'consent'; message: string }

const EMAIL = z.email();

/** Every problem of `answers` against `form` (empty: valid). Field names: name, email, consent, fields.<id>. */
export function prechatProblems(form: PrechatForm, answers: PrechatAnswers): PrechatProblem[] {
  const problems: PrechatProblem[] = [];
  const blank = (v: string | undefined) => v === undefined || v.trim() === '';
  if (form.name.show && form.name.required && blank(answers.name)) problems.push({ field: 'name', code: 'required', message: 'name is required' });
  if (form.email.show) {
    if (form.email.required && blank(answers.email)) problems.push({ field: 'email', code: 'required', message: 'email is required' });
    else if (!blank(answers.email) && !EMAIL.safeParse(answers.email).success) problems.push({ field: 'email', code: 'email', message: 'email must be an e-mail address, like name@example.com' });
  }
  if (form.consent.show && answers.consent !== true) problems.push({ field: 'consent', code: 'consent', message: 'consent must be given to start the chat' });
  const known = new Set(form.fields.map((f) => f.id));
  for (const key of Object.keys(answers.fields)) {
    if (!known.has(key)) problems.push({ field: `fields.${key}`, code: 'unknown', message: `no field "${key.slice(0, 40)}" in this form` });
  }
  for (const f of form.fields) {
    const value = answers.fields[f.id];
    if (blank(value)) {
      if (f.required) problems.push({ field: `fields.${f.id}`, code: 'required', message: `${f.label} is required` });
    } else if (f.type === 'select' && !f.options.includes(value.trim())) {
      problems.push({ field: `fields.${f.id}`, code: 'option', message: `${f.label}: choose one of the options` });
    }
  }
  return problems;
}

/** GET /api/visitor/prechat: the form to show (null: none for this channel), or `skip` for a visitor already known. */
export const VisitorPrechatViewSchema = z.object({
  form: PrechatFormSchema.nullable(),
  skip: z.boolean(),
  /** Prefill from the visitor's profile. */
  prefill: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
});
export type VisitorPrechatView = z.infer<typeof VisitorPrechatViewSchema>;

export { PrechatContextSchema, type PrechatContext } from './visitor-context.js';
