import type { FlowSettings, OfflineSettings } from '../flow/settings.js';

/**
 * Issue 19's settings of a conversation's flow, or null for a conversation started before they existed:
 * its input (recorded in history) has no `offline`, and it must replay with the old behaviour.
 */
export const offlineSettingsOf = (settings: FlowSettings): OfflineSettings | null => (settings as Partial<FlowSettings>).offline ?? null;

/** The reason the desk gives a hand-off it refused because nobody of the team is signed in (EnqueueRequest.failIfNobodyOnline). */
export const NOBODY_SIGNED_IN = 'nobody-signed-in';
