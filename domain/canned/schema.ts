import { z } from 'zod';
import { CANNED_LIMITS, SHORTCUT_PATTERN } from './expand.js';

/** What an admin or agent writes for a canned response; the REST routes and the CSV import check it. */

/** `org`: the organisation's (admins edit, everyone uses); `personal`: the signed-in staff member's own. */
export const CannedScopeSchema = z.enum(['org', 'personal']);
export type CannedScope = z.infer<typeof CannedScopeSchema>;

export const ShortcutSchema = z.string().trim()
  .regex(SHORTCUT_PATTERN, `shortcut: 1–${CANNED_LIMITS.shortcut} letters, digits, _ or - (without the /)`)
  .toLowerCase();

export const CannedFieldsSchema = z.object({
  shortcut: ShortcutSchema,
  title: z.string().trim().max(CANNED_LIMITS.title).regex(/\S/, 'title must not be empty'),
  text: z.string().trim().max(CANNED_LIMITS.text).regex(/\S/, 'text must not be empty'),
  /** Empty or absent: no category. */
  category: z.string().trim().max(CANNED_LIMITS.category).nullable().optional(),
});
export type CannedFields = z.infer<typeof CannedFieldsSchema>;

/** The default form of address (`##dear##`), an organisation setting. */
export const CannedSettingsSchema = z.object({
  defaultAddress: z.string().trim().min(1, 'defaultAddress must not be empty').max(80),
}).strict();
export type CannedSettings = z.infer<typeof CannedSettingsSchema>;
