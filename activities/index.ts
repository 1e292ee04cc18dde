import { chatActivities } from './chat.js';
import type { ActivityDeps } from './deps.js';
import { deskActivities } from './desk.js';
import { deskSignalActivities } from './desk-signals.js';
import { messageActivities } from './messages.js';
import { projectionActivities } from './projection.js';
import { ratingActivities } from './ratings.js';
import { routingActivities } from './routing.js';
import { webhookActivities } from './webhook.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...messageActivities(deps),
    ...chatActivities(deps),
    ...projectionActivities(deps),
    ...routingActivities(deps),
    ...deskActivities(deps),
    ...deskSignalActivities(deps),
    ...ratingActivities(deps),
    ...webhookActivities(deps.outbound),
  };
}

/** Workflows import this type only, through proxyActivities. */
export type ParleyActivities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
