import { eq } from 'drizzle-orm';
import { DispatcherSettingsSchema } from '../domain/routing.js';
import { DEFAULT_DISPATCHER_SETTINGS, type DispatcherSettings } from '../domain/desk/state.js';
import type { Db } from './client.js';
import { deskSettings } from './schema.js';

const ROUTING_KEY = 'routing';

export async function loadDispatcherSettings(db: Db): Promise<DispatcherSettings> {
  const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, ROUTING_KEY));
  if (!row) return DEFAULT_DISPATCHER_SETTINGS;
  const parsed = DispatcherSettingsSchema.partial().safeParse(row.value);
  return { ...DEFAULT_DISPATCHER_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function saveDispatcherSettings(db: Db, settings: DispatcherSettings): Promise<void> {
  await db.insert(deskSettings).values({ key: ROUTING_KEY, value: settings })
    .onConflictDoUpdate({ target: deskSettings.key, set: { value: settings, updatedAt: new Date() } });
}
