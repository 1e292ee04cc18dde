import { z } from 'zod';
import { AgentStatusSchema } from './agents.js';

/**
 * Issue 21: the live wallboard (GET /api/wallboard, socket event `wallboard`, /admin/wallboard).
 *
 * Service level today: of the conversations that entered the desk's queue since midnight (in the
 * setting's time zone), the share answered (first agent message) within `serviceLevelSec` seconds.
 * Counted are the ones answered, and the ones that waited `serviceLevelSec` or longer without an
 * answer (still waiting, or gone); one that left unanswered sooner is a short abandon and not counted.
 */
export const DEFAULT_SERVICE_LEVEL_SEC = 20;
/** The PostgreSQL NOTIFY channel the desk projection pings when it wrote a change (payload: the revision). */
export const WALLBOARD_CHANNEL = 'parley_wallboard';
/** The wallboard event goes out at most this often per API process, however busy the desk is. */
export const WALLBOARD_MIN_INTERVAL_MS = 1_000;

const isTimeZone = (tz: string) => {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
};

export const WallboardSettingsSchema = z.object({
  /** N of the service level: a conversation counts as answered in time when its first answer came within N seconds. */
  serviceLevelSec: z.number().int().min(1, 'serviceLevelSec: at least 1 second').max(3600, 'serviceLevelSec: at most 3600 seconds'),
  /** Where "today" starts (IANA time zone). */
  timeZone: z.string().min(1).max(64).refine(isTimeZone, { message: 'timeZone: not a known IANA time zone (e.g. Asia/Shanghai)' }),
});
export type WallboardSettings = z.infer<typeof WallboardSettingsSchema>;
export const DEFAULT_WALLBOARD_SETTINGS: WallboardSettings = { serviceLevelSec: DEFAULT_SERVICE_LEVEL_SEC, timeZone: 'UTC' };
export const WallboardSettingsInputSchema = WallboardSettingsSchema.partial().strict()
  .refine((s) => Object.keys(s).length > 0, { message: 'give serviceLevelSec and/or timeZone' });

export const WallboardTeamSchema = z.object({
  /** null: conversations waiting for any agent (no team). */
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  queued: z.number().int(),
  /** When the longest-waiting conversation entered the queue (null: none waiting); clients count the wait up from it. */
  oldestEnqueuedAt: z.string().nullable(),
  longestWaitSec: z.number().int().nullable(),
});

export const WallboardAgentSchema = z.object({
  agentId: z.string(),
  name: z.string(),
  status: AgentStatusSchema,
  reason: z.string().nullable(),
  load: z.number().int(),
  maxConversations: z.number().int(),
  disconnected: z.boolean(),
});

export const WallboardSchema = z.object({
  generatedAt: z.string(),
  teams: z.array(WallboardTeamSchema),
  /** Agents not offline, busiest first; offline ones only counted. */
  agents: z.array(WallboardAgentSchema),
  agentsByStatus: z.object({ online: z.number().int(), busy: z.number().int(), away: z.number().int(), offline: z.number().int() }),
  /** Conversations with the bot, waiting, offered and with an agent right now. */
  inProgress: z.object({ bot: z.number().int(), queued: z.number().int(), offered: z.number().int(), assigned: z.number().int() }),
  serviceLevel: z.object({
    thresholdSec: z.number().int(),
    timeZone: z.string(),
    answeredInTime: z.number().int(),
    counted: z.number().int(),
    /** answeredInTime / counted, 0..1; null when nothing counted yet today. */
    ratio: z.number().nullable(),
  }),
});
export type Wallboard = z.infer<typeof WallboardSchema>;
export type WallboardTeam = z.infer<typeof WallboardTeamSchema>;
export type WallboardAgent = z.infer<typeof WallboardAgentSchema>;
