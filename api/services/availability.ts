import { availabilityOf, type ChannelAvailability } from '../../domain/availability.js';
import { rooms } from '../../domain/contracts/events.js';
import type { FlowDefinition } from '../../domain/flow/schema.js';
import { isWithinWorkingHours } from '../../domain/flow/working-hours.js';
import { agentCountsFor, medianFirstResponseSec } from '../../db/service-times.js';
import type { ApiContext } from '../context.js';
import { HttpError, notFound } from '../http/errors.js';
import type { ConversationService } from './conversations.js';

/** Issue 19: how a channel's availability is computed and told (ApiConfig.availability). */
export interface AvailabilityConfig {
  /** How long one computation is reused (per process); default 5 s. */
  cacheMs: number;
  /** How often each API process looks for changes of the channels its visitors follow; default 10 s. */
  pollMs: number;
  /** The window of "typically replies in": first responses of the last 7 days by default. */
  replyWindowSec: number;
  /** Fewer answered conversations than this in the window: no typical reply time. Default 3. */
  replyMinSamples: number;
}

export const DEFAULT_AVAILABILITY_CONFIG: AvailabilityConfig = { cacheMs: 5_000, pollMs: 10_000, replyWindowSec: 7 * 24 * 3600, replyMinSamples: 3 };

/** The teams a flow hands off to; null when a hand-off takes any team's agent. No hand-off at all: nobody answers (empty). */
export function handoffTeams(flow: FlowDefinition): string[] | null {
  const teams = new Set<string>();
  for (const node of flow.nodes) {
    if (node.type !== 'handoff') continue;
    if (node.config.teamId === null) return null;
    teams.add(node.config.teamId);
  }
  return [...teams];
}

/**
 * A channel's online / away / offline state and typical reply time, from the desk's projection (agent
 * presence, never a workflow query) and the channel's published flow (its hand-off teams, its working
 * hours). Visitors following a channel (room `availability:<channel>`) are told when it changes: each API
 * process looks at the channels its own sockets follow every `pollMs` and tells only them (`io.local`).
 */
export function availabilityService(ctx: ApiContext, conversations: ConversationService) {
  const config = { ...DEFAULT_AVAILABILITY_CONFIG, ...ctx.config.availability };
  const { db } = ctx.database;
  const cache = new Map<string, { at: number; value: Promise<ChannelAvailability> }>();
  const told = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;

  async function compute(channel: string): Promise<ChannelAvailability> {
    let flow;
    try {
      flow = (await conversations.latestFlow(channel)).definition;
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) throw notFound('Channel');
      throw err;
    }
    const hours = flow.settings.workingHours;
    const open = hours === null || isWithinWorkingHours(hours, new Date());
    const [agents, typicalReplySec] = await Promise.all([
      agentCountsFor(db, ctx.config.deskId, handoffTeams(flow)),
      medianFirstResponseSec(db, channel, config.replyWindowSec, config.replyMinSamples),
    ]);
    return { channel, ...availabilityOf(agents, open), typicalReplySec };
  }

  function get(channel: string): Promise<ChannelAvailability> {
    const hit = cache.get(channel);
    if (hit && Date.now() - hit.at < config.cacheMs) return hit.value;
    const value = compute(channel);
    cache.set(channel, { at: Date.now(), value });
    value.catch(() => cache.delete(channel));
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return value;
  }

  /** The channels this process's sockets follow. */
  function followed(): string[] {
    const prefix = rooms.availability('');
    return [...ctx.io.of('/').adapter.rooms.keys()].filter((room) => room.startsWith(prefix)).map((room) => room.slice(prefix.length));
  }

  async function poll(): Promise<void> {
    const channels = followed();
    for (const channel of channels) {
      const now = await get(channel).catch(() => null);
      if (!now) continue;
      const key = JSON.stringify(now);
      const before = told.get(channel);
      told.set(channel, key);
      if (before !== undefined && before !== key) ctx.io.local.to(rooms.availability(channel)).emit('channel:availability', now);
    }
    for (const channel of told.keys()) if (!channels.includes(channel)) told.delete(channel);
  }

  return {
    get,
    /** Starts telling followers of changes (once per process). */
    start(): void {
      if (timer) return;
      const tick = () => {
        timer = setTimeout(() => void poll().catch(() => undefined).finally(() => { if (timer) tick(); }), config.pollMs);
        timer.unref();
      };
      tick();
    },
    stop(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
    /** Remembers what a new follower was just told, so the next poll tells only a real change. */
    noteTold(a: ChannelAvailability): void {
      if (!told.has(a.channel)) told.set(a.channel, JSON.stringify(a));
    },
  };
}
export type AvailabilityService = ReturnType<typeof availabilityService>;
