import { Router } from 'express';
import { loadAlertPreferences, loadLocalePreference, saveAlertPreferences, saveLocalePreference } from '../../db/agent-preferences.js';
import { loadDispatcherSettings } from '../../db/settings.js';
import { AlertPreferencesPatchSchema, applyAlertPatch } from '../../domain/alerts.js';
import { AlertPreferencesSchema, LocalePreferenceSchema, WorkbenchSettingsSchema } from '../../domain/contracts/rest.js';
import type { WorkbenchSettingsEvent } from '../../domain/contracts/events.js';
import type { DispatcherSettings } from '../../domain/routing.js';
import type { ApiContext } from '../context.js';
import { forbidden } from '../http/errors.js';
import { route } from '../http/route.js';

/** The part of the routing settings any staff member may read: which workbench controls the desk allows. */
export const workbenchSettingsOf = (s: DispatcherSettings): WorkbenchSettingsEvent => ({
  agentsMayJoinQueued: s.agentsMayJoinQueued, agentsMayChangeLimit: s.agentsMayChangeLimit,
});

/** The signed-in staff member's own workbench preferences, and the desk settings the workbench needs. */
export function workbenchRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { db } = ctx.database;
  const me = (principal: { kind: string; userId?: string } | null) => {
    if (principal?.kind !== 'staff' || !principal.userId) throw forbidden();
    return principal.userId;
  };

  route(router, {
    method: 'get', path: '/api/me/preferences/alerts', operationId: 'getMyAlertPreferences', summary: 'My alert switches (sound, desktop notification, each kind of alert)', tag: 'agents', access: 'staff',
    response: AlertPreferencesSchema,
  }, async ({ principal }) => loadAlertPreferences(db, me(principal)));

  route(router, {
    method: 'put', path: '/api/me/preferences/alerts', operationId: 'updateMyAlertPreferences', summary: 'Change my alert switches (partial update; only my own)', tag: 'agents', access: 'staff',
    body: AlertPreferencesPatchSchema, response: AlertPreferencesSchema,
  }, async ({ principal, body }) => {
    const userId = me(principal);
    const next = applyAlertPatch(await loadAlertPreferences(db, userId), body);
    await saveAlertPreferences(db, userId, next);
    return next;
  });

  route(router, {
    method: 'get', path: '/api/me/preferences/locale', operationId: 'getMyLocale', summary: 'My language for the workbench and the console (null: the browser\'s)', tag: 'agents', access: 'staff',
    response: LocalePreferenceSchema,
  }, async ({ principal }) => ({ locale: await loadLocalePreference(db, me(principal)) }));

  route(router, {
    method: 'put', path: '/api/me/preferences/locale', operationId: 'updateMyLocale', summary: 'Choose my language (one of the supported locales, or null for the browser\'s)', tag: 'agents', access: 'staff',
    description: 'An unsupported locale is refused with 400 and changes nothing.',
    body: LocalePreferenceSchema, response: LocalePreferenceSchema,
  }, async ({ principal, body }) => {
    await saveLocalePreference(db, me(principal), body.locale);
    return { locale: body.locale };
  });

  route(router, {
    method: 'get', path: '/api/settings/workbench', operationId: 'getWorkbenchSettings', summary: 'What the desk lets agents do by hand (join a queued conversation, change their own limit)', tag: 'routing', access: 'staff',
    description: 'Read-only for staff; pushed again as `desk:settings` when an admin changes the routing settings.',
    response: WorkbenchSettingsSchema,
  }, async () => workbenchSettingsOf(await loadDispatcherSettings(db)));

  return router;
}
