import { z } from 'zod';

/**
 * Issue 22, rule 3 (docs/seeds.md): the blacklist. A reason is optional and at most 250 characters
 * (B3Networks); whether blocking ends the visitor's open conversation is a desk setting (Easemob ends it,
 * B3Networks keeps it open; Parley follows Easemob by default). Visitors are blocked by identity, or by an
 * e-mail address or phone number any visitor may give.
 */

export const BLOCK_REASON_MAX = 250;

/** An optional reason: blank means none. */
export const BlockReasonSchema = z.object({
  reason: z.string().trim().max(BLOCK_REASON_MAX, `the reason is at most ${BLOCK_REASON_MAX} characters`).optional(),
}).strict();

export const BlacklistSettingsSchema = z.object({
  /** Blocking ends the visitor's open conversations (Easemob); false keeps them open until they end (B3Networks). */
  closeOpenConversations: z.boolean().default(true),
}).strict();
export type BlacklistSettings = z.infer<typeof BlacklistSettingsSchema>;

export const BlockedContactKindSchema = z.enum(['email', 'phone']);
export type BlockedContactKind = z.infer<typeof BlockedContactKindSchema>;

const EMAIL_CORE = String.raw`[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{1,63}`;
const PHONE_SEPARATORS = String.raw`[\s()./-]`;
/** What the API accepts (also in the OpenAPI document): surrounding spaces allowed; a phone number's separators too. */
const EMAIL_PATTERN = new RegExp(String.raw`^\s*${EMAIL_CORE}\s*$`);
const PHONE_PATTERN = new RegExp(String.raw`^\s*\+?(?:${PHONE_SEPARATORS}*\d){5,20}${PHONE_SEPARATORS}*$`);

/** The form a contact is compared in: e-mail trimmed and lower-cased; a phone number's digits with a leading + kept. */
export function normalizeContact(kind: BlockedContactKind, raw: string): string | null {
  const value = raw.trim();
  if (kind === 'email') return new RegExp(`^${EMAIL_CORE}$`).test(value) ? value.toLowerCase() : null;
  const digits = value.replace(new RegExp(PHONE_SEPARATORS, 'g'), '');
  return /^\+?\d{5,20}$/.test(digits) ? digits : null;
}

const reason = BlockReasonSchema.shape.reason;
export const BlockedContactInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), value: z.string().max(254).regex(EMAIL_PATTERN, 'not an e-mail address'), reason }).strict(),
  z.object({
    kind: z.literal('phone'),
    value: z.string().max(60).regex(PHONE_PATTERN, 'not a phone number (5 to 20 digits, an optional leading +; spaces, dots, slashes, dashes and brackets between them)'),
    reason,
  }).strict(),
]);
export type BlockedContactInput = z.input<typeof BlockedContactInputSchema>;

export const BlockedContactSchema = z.object({
  id: z.number().int(),
  kind: BlockedContactKindSchema,
  value: z.string(),
  reason: z.string().nullable(),
  actorId: z.uuid(),
  at: z.string(),
});
export type BlockedContact = z.infer<typeof BlockedContactSchema>;
