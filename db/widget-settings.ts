import { randomBytes } from 'node:crypto';
import { eq, min } from 'drizzle-orm';
import { WIDGET_DEFAULTS, type WidgetDisplay, type WidgetSettings, type WidgetSettingsPatch } from '../domain/widget.js';
import type { Db } from './client.js';
import { flows, widgetSettings } from './schema.js';

/**
 * Issue 19: at most one row of widget settings per channel (channels exist as flows' `channel`). A channel
 * without a row has the defaults and the identity secret `defaultSecret(channel)` (derived by the API from
 * its own secret), so reading never writes; the first change stores the row.
 */

type Row = typeof widgetSettings.$inferSelect;
export type DefaultSecret = (channel: string) => string;

const toSettings = (r: Row): WidgetSettings => ({
  channel: r.channel, position: r.position, color: r.color, label: r.label, icon: r.icon, allowedOrigins: r.allowedOrigins,
  identitySecret: r.identitySecret, secretRotatedAt: r.secretRotatedAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const displayOf = (s: Pick<WidgetSettings, keyof WidgetDisplay>): WidgetDisplay => ({
  position: s.position, color: s.color, label: s.label, icon: s.icon,
});

/** When the channel's first flow was created (null: no flow serves it). */
async function channelSince(db: Db, channel: string): Promise<Date | null> {
  const [row] = await db.select({ at: min(flows.createdAt) }).from(flows).where(eq(flows.channel, channel));
  return row?.at ?? null;
}

/** Whether a flow serves the channel. */
export async function channelExists(db: Db, channel: string): Promise<boolean> {
  return (await channelSince(db, channel)) !== null;
}

/** The stored row, or null (the channel has the defaults). */
export async function storedWidgetSettings(db: Db, channel: string): Promise<WidgetSettings | null> {
  const [row] = await db.select().from(widgetSettings).where(eq(widgetSettings.channel, channel));
  return row ? toSettings(row) : null;
}

/** The channel's settings: stored, or the defaults. */
export async function widgetSettingsOf(db: Db, channel: string, defaultSecret: DefaultSecret): Promise<WidgetSettings> {
  const stored = await storedWidgetSettings(db, channel);
  if (stored) return stored;
  const since = (await channelSince(db, channel)) ?? new Date(0);
  return {
    channel, ...WIDGET_DEFAULTS, allowedOrigins: [], identitySecret: defaultSecret(channel),
    secretRotatedAt: since.toISOString(), updatedAt: since.toISOString(),
  };
}

/** Every channel a flow serves, with its settings, by channel. */
export async function listWidgetSettings(db: Db, defaultSecret: DefaultSecret): Promise<WidgetSettings[]> {
  const channels = (await db.selectDistinct({ channel: flows.channel }).from(flows)).map((r) => r.channel).sort();
  return Promise.all(channels.map((c) => widgetSettingsOf(db, c, defaultSecret)));
}

/** Stores the row (with the current secret) the first time anything changes. */
async function ensureRow(db: Db, channel: string, defaultSecret: DefaultSecret, secretRotatedAt: string): Promise<void> {
  await db.insert(widgetSettings).values({ channel, identitySecret: defaultSecret(channel), secretRotatedAt: new Date(secretRotatedAt) }).onConflictDoNothing();
}

export async function updateWidgetSettings(db: Db, channel: string, patch: WidgetSettingsPatch, defaultSecret: DefaultSecret): Promise<WidgetSettings> {
  const current = await widgetSettingsOf(db, channel, defaultSecret);
  await ensureRow(db, channel, defaultSecret, current.secretRotatedAt);
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await db.update(widgetSettings).set({ ...set, updatedAt: new Date() }).where(eq(widgetSettings.channel, channel));
  return widgetSettingsOf(db, channel, defaultSecret);
}

/** A new random identity secret: every hash the site computed with the old one stops verifying at once. */
export async function rotateIdentitySecret(db: Db, channel: string, defaultSecret: DefaultSecret): Promise<WidgetSettings> {
  const current = await widgetSettingsOf(db, channel, defaultSecret);
  await ensureRow(db, channel, defaultSecret, current.secretRotatedAt);
  const now = new Date();
  await db.update(widgetSettings).set({ identitySecret: randomBytes(32).toString('hex'), secretRotatedAt: now, updatedAt: now })
    .where(eq(widgetSettings.channel, channel));
  return widgetSettingsOf(db, channel, defaultSecret);
}
