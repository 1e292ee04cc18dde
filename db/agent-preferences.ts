import { eq } from 'drizzle-orm';
import { LocaleSchema } from '../domain/conversation.js';
import type { SupportedLocale } from '../domain/locales.js';
import { AlertPreferencesSchema, DEFAULT_ALERT_PREFERENCES, type AlertPreferences } from '../domain/alerts.js';
import type { Db } from './client.js';
import { agentPreferences } from './schema.js';

/** The agent's alert switches; the defaults until they change one (a stored document that no longer parses counts as unset). */
export async function loadAlertPreferences(db: Db, userId: string): Promise<AlertPreferences> {
  const [row] = await db.select({ alerts: agentPreferences.alerts }).from(agentPreferences).where(eq(agentPreferences.userId, userId));
  const parsed = AlertPreferencesSchema.safeParse(row?.alerts);
  return parsed.success ? parsed.data : DEFAULT_ALERT_PREFERENCES;
}

export async function saveAlertPreferences(db: Db, userId: string, alerts: AlertPreferences): Promise<void> {
  await db.insert(agentPreferences).values({ userId, alerts })
    .onConflictDoUpdate({ target: agentPreferences.userId, set: { alerts, updatedAt: new Date() } });
}

/** The staff member's chosen language; null when none was chosen (or the stored one is no longer supported). */
export async function loadLocalePreference(db: Db, userId: string): Promise<SupportedLocale | null> {
  const [row] = await db.select({ locale: agentPreferences.locale }).from(agentPreferences).where(eq(agentPreferences.userId, userId));
  const parsed = LocaleSchema.safeParse(row?.locale);
  return parsed.success ? parsed.data : null;
}

export async function saveLocalePreference(db: Db, userId: string, locale: SupportedLocale | null): Promise<void> {
  await db.insert(agentPreferences).values({ userId, alerts: DEFAULT_ALERT_PREFERENCES, locale })
    .onConflictDoUpdate({ target: agentPreferences.userId, set: { locale, updatedAt: new Date() } });
}
