import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { DEFAULT_DISPATCHER_SETTINGS, type DispatcherSettings } from '../workflows/dispatcher/state.js';
import type { Db } from './client.js';
import { deskSettings } from './schema.js';

export const AssignmentStrategySchema = z.enum(['longest-idle', 'least-busy', 'round-robin', 'familiarity', 'webhook']);

export const DispatcherSettingsSchema = z.object({
  serviceMode: z.enum(['automatic', 'manual']),
  offerTimeoutSec: z.number().positive().max(3600),
  awayOnMissedOffer: z.boolean(),
  disconnectGraceSec: z.number().positive().max(3600),
  strategy: AssignmentStrategySchema,
  transferConfirmation: z.boolean(),
  transferTimeoutSec: z.number().positive().max(3600),
  agentsMayJoinQueued: z.boolean(),
  agentsMayChangeLimit: z.boolean(),
  assignWebhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).nullable(),
  assignWebhookTimeoutMs: z.number().int().min(100).max(30_000),
  handoffFailsWhenNobodyOnline: z.boolean(),
  queuePositionIntervalMs: z.number().int().min(0).max(60_000),
}).strict();

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
