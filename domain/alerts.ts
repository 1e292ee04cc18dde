import { z } from 'zod';

/** What can alert an agent in the workbench (sound and desktop notification). */
export const ALERT_KINDS = ['offer', 'message', 'transfer', 'mention'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * An agent's alert switches, stored server-side so they follow the agent across devices: each alert kind on or
 * off, and the two ways of alerting (a sound; a desktop notification, once the browser allows it).
 */
export const AlertPreferencesSchema = z.object({
  kinds: z.object({ offer: z.boolean(), message: z.boolean(), transfer: z.boolean(), mention: z.boolean() }).strict(),
  sound: z.boolean(),
  desktop: z.boolean(),
}).strict();
export type AlertPreferences = z.infer<typeof AlertPreferencesSchema>;

/** A change: any of the switches (the others keep their value). */
export const AlertPreferencesPatchSchema = z.object({
  kinds: AlertPreferencesSchema.shape.kinds.partial().optional(),
  sound: z.boolean().optional(),
  desktop: z.boolean().optional(),
}).strict();
export type AlertPreferencesPatch = z.infer<typeof AlertPreferencesPatchSchema>;

export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = {
  kinds: { offer: true, message: true, transfer: true, mention: true },
  sound: true,
  desktop: true,
};

export function applyAlertPatch(current: AlertPreferences, patch: AlertPreferencesPatch): AlertPreferences {
  return {
    kinds: { ...current.kinds, ...patch.kinds },
    sound: patch.sound ?? current.sound,
    desktop: patch.desktop ?? current.desktop,
  };
}

/** The desk's routing settings the workbench shows controls by (GET /api/settings/workbench, `desk:settings`). */
export const WorkbenchSettingsSchema = z.object({ agentsMayJoinQueued: z.boolean(), agentsMayChangeLimit: z.boolean() }).strict();
