import { Router } from 'express';
import { WallboardSchema, WallboardSettingsInputSchema, WallboardSettingsSchema } from '../../domain/wallboard.js';
import { route } from '../http/route.js';
import type { WallboardService } from '../services/wallboard.js';

/** Issue 21: the live wallboard (admins); live updates come as the socket event `wallboard`. */
export function wallboardRoutes(wallboard: WallboardService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/wallboard', operationId: 'getWallboard', tag: 'wallboard', access: 'admin',
    summary: 'The live wallboard now: queues per team, agents by status and load, conversations in progress, today\'s service level',
    description: 'The socket event `wallboard` (to admins, at most once a second) carries the same document as it changes.',
    response: WallboardSchema,
  }, async () => wallboard.read());

  route(router, {
    method: 'get', path: '/api/settings/wallboard', operationId: 'getWallboardSettings', tag: 'wallboard', access: 'admin',
    summary: 'The wallboard\'s settings: the service level threshold (seconds) and the time zone "today" is in',
    response: WallboardSettingsSchema,
  }, async () => wallboard.settings());

  route(router, {
    method: 'put', path: '/api/settings/wallboard', operationId: 'updateWallboardSettings', tag: 'wallboard', access: 'admin',
    summary: 'Change the wallboard\'s settings (partial update)',
    body: WallboardSettingsInputSchema, response: WallboardSettingsSchema,
  }, async ({ body }) => {
    const settings = { ...(await wallboard.settings()), ...body };
    await wallboard.saveSettings(settings);
    return settings;
  });

  return router;
}
