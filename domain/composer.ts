import { z } from 'zod';

/**
 * Desk-wide composer settings (admin, GET/PUT /api/settings/composer).
 * `typingPreview`: staff see what a visitor is typing before they send it. Off by default: the visitor
 * has not chosen to send that text (they may rephrase, or type something they then delete), so a desk
 * turns it on only where its privacy notice tells visitors so (docs/security.md, "Typing previews").
 */
export const ComposerSettingsSchema = z.object({
  typingPreview: z.boolean(),
}).strict();
export type ComposerSettings = z.infer<typeof ComposerSettingsSchema>;

export const DEFAULT_COMPOSER_SETTINGS: ComposerSettings = { typingPreview: false };

/** Delivery and read state of a conversation as its staff see it (GET /api/conversations/:id/receipts). */
export const ConversationReceiptsSchema = z.object({
  conversationId: z.uuid(),
  /** The visitor's client received every message up to this seq. */
  visitorDeliveredSeq: z.number().int(),
  /** The visitor's chat was visible and focused with every message up to this seq shown. */
  visitorReadSeq: z.number().int(),
  /** The asking staff user's own read position (0 for a visitor, or before the first read). */
  myReadSeq: z.number().int(),
});
export type ConversationReceipts = z.infer<typeof ConversationReceiptsSchema>;
