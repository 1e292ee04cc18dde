import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './client.js';
import { deskSettings } from './schema.js';

/** Desk-wide knobs for new conversation workflows (desk_settings key `conversation`). */
export const ConversationSettingsSchema = z.object({
  /** Continue-as-new past this many history events (default in the workflow: 10 000). */
  historyLimit: z.number().int().min(20).max(50_000).optional(),
}).strict();
export type ConversationSettings = z.infer<typeof ConversationSettingsSchema>;

const KEY = 'conversation';

export async function loadConversationSettings(db: Db): Promise<ConversationSettings> {
  const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, KEY));
  const parsed = ConversationSettingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : {};
}

export async function saveConversationSettings(db: Db, settings: ConversationSettings): Promise<void> {
  const value = ConversationSettingsSchema.parse(settings);
  await db.insert(deskSettings).values({ key: KEY, value })
    .onConflictDoUpdate({ target: deskSettings.key, set: { value, updatedAt: new Date() } });
}
