import { z } from 'zod';

/**
 * Issue 19: whether a channel can answer now (GET /api/channels/:channel/availability, the socket's
 * `channel:availability`). `online`: an agent of a team the channel hands off to is signed in and accepting;
 * `away`: they are signed in but all away or busy; `offline`: none is signed in, or it is outside the
 * flow's working hours (`reason` says which).
 */
export const ChannelAvailabilityStatusSchema = z.enum(['online', 'away', 'offline']);
export type ChannelAvailabilityStatus = z.infer<typeof ChannelAvailabilityStatusSchema>;

export const ChannelAvailabilitySchema = z.object({
  channel: z.string(),
  status: ChannelAvailabilityStatusSchema,
  reason: z.enum(['agentsOnline', 'agentsAway', 'nobodyOnline', 'outOfHours']),
  /** Median first response (seconds) over the recent window; null without enough served conversations. */
  typicalReplySec: z.number().int().min(0).nullable(),
});
export type ChannelAvailability = z.infer<typeof ChannelAvailabilitySchema>;

/** The agents a channel's flow may hand off to, by their desk status. */
export interface AgentStatusCount { online: number; signedIn: number }

/** The channel's state from its agents and its working hours (`open`: inside them, or no timetable). Pure. */
export function availabilityOf(agents: AgentStatusCount, open: boolean): Pick<ChannelAvailability, 'status' | 'reason'> {
  if (!open) return { status: 'offline', reason: 'outOfHours' };
  if (agents.online > 0) return { status: 'online', reason: 'agentsOnline' };
  if (agents.signedIn > 0) return { status: 'away', reason: 'agentsAway' };
  return { status: 'offline', reason: 'nobodyOnline' };
}

export { estimateWaitSec, formatWaitText } from './conversation/estimated-wait.js';
