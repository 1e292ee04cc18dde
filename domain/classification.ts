import { z } from 'zod';

/**
 * Classifying a conversation (issue 18): admin-managed tags with colours, an admin-managed list of call
 * reasons (Huawei's "call reason", a disposition), remarks and a handled number / reference, and the
 * desk's closing rules (Easemob: "a tag is required before closing").
 */

export const HEX_COLOUR = /^#[0-9a-f]{6}$/;
export const ColourSchema = z.string().trim().toLowerCase().regex(HEX_COLOUR, 'colour: a #rrggbb hex colour');
const NameSchema = z.string().trim().min(1, 'name must not be empty').max(60, 'name: at most 60 characters');

export const TagInputSchema = z.object({ name: NameSchema, colour: ColourSchema }).strict();
export const TagPatchSchema = TagInputSchema.partial().strict();
/** `labelColour`: black or white, whichever reads on `colour` (contrast at least 4.5:1, WCAG AA). */
export const TagSchema = z.object({ id: z.uuid(), name: z.string(), colour: z.string(), labelColour: z.string(), archived: z.boolean() });
export type Tag = z.infer<typeof TagSchema>;

export const CallReasonInputSchema = z.object({ name: z.string().trim().min(1, 'name must not be empty').max(80, 'name: at most 80 characters') }).strict();
export const CallReasonSchema = z.object({ id: z.uuid(), name: z.string(), archived: z.boolean() });
export type CallReason = z.infer<typeof CallReasonSchema>;

export const MAX_HANDLED_NUMBER_LENGTH = 50;
export const MAX_REMARKS_LENGTH = 2000;

/** What an agent sets on a conversation (any subset; `null` clears a field). */
export const ClassificationInputSchema = z.object({
  callReasonId: z.uuid({ error: 'callReasonId must be a call reason id' }).nullable().optional(),
  remarks: z.string().trim().max(MAX_REMARKS_LENGTH, `remarks: at most ${MAX_REMARKS_LENGTH} characters`).nullable().optional(),
  handledNumber: z.string().trim().max(MAX_HANDLED_NUMBER_LENGTH, `handledNumber: at most ${MAX_HANDLED_NUMBER_LENGTH} characters`).nullable().optional(),
  /** The conversation's whole tag set (replaces it). */
  tagIds: z.array(z.uuid({ error: 'tagIds: tag ids' })).max(20, 'at most 20 tags on a conversation').optional(),
}).strict();
export type ClassificationInput = z.infer<typeof ClassificationInputSchema>;

export const ClassificationSchema = z.object({
  conversationId: z.uuid(),
  tags: z.array(TagSchema),
  callReasonId: z.uuid().nullable(),
  remarks: z.string().nullable(),
  handledNumber: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type Classification = z.infer<typeof ClassificationSchema>;

/**
 * The desk's closing rules (desk_settings key `closing`), enforced where staff close a conversation
 * (REST and socket), not only in the workbench. A visitor's close and timers are never held up.
 */
export const ClosingSettingsSchema = z.object({
  tagRequired: z.boolean().default(false),
  callReasonRequired: z.boolean().default(false),
}).strict();
export type ClosingSettings = z.infer<typeof ClosingSettingsSchema>;

/** What a staff close still needs under the desk's rules; empty when it may close. */
export function missingForClose(rules: ClosingSettings, c: { tagCount: number; callReasonId: string | null }): Array<'tag' | 'callReason'> {
  const missing: Array<'tag' | 'callReason'> = [];
  if (rules.tagRequired && c.tagCount === 0) missing.push('tag');
  if (rules.callReasonRequired && !c.callReasonId) missing.push('callReason');
  return missing;
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white text on `background`, whichever contrasts more (one of them always reaches 4.5:1). */
export function labelColourFor(background: string): string {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}
