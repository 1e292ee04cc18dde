import { eq } from 'drizzle-orm';
import { ComposerSettingsSchema, DEFAULT_COMPOSER_SETTINGS, type ComposerSettings } from '../domain/composer.js';
import type { Db } from './client.js';
import { deskSettings } from './schema.js';

const KEY = 'composer';

export async function loadComposerSettings(db: Db): Promise<ComposerSettings> {
  const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, KEY));
  const parsed = ComposerSettingsSchema.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_COMPOSER_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function saveComposerSettings(db: Db, settings: ComposerSettings): Promise<void> {
  const value = ComposerSettingsSchema.parse(settings);
  await db.insert(deskSettings).values({ key: KEY, value })
    .onConflictDoUpdate({ target: deskSettings.key, set: { value, updatedAt: new Date() } });
}
