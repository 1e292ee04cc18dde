import { z } from 'zod';

/** How a team (or the desk, by default) picks the agent for a waiting conversation (docs/routing.md). */
export const AssignmentStrategySchema = z.enum(['longest-idle', 'least-busy', 'round-robin', 'familiarity', 'webhook']);
export type AssignmentStrategy = z.infer<typeof AssignmentStrategySchema>;
/** What familiarity and webhook fall back to when they name no available agent. */
export type BaseStrategy = Exclude<AssignmentStrategy, 'familiarity' | 'webhook'>;

/**
 * Least values an admin may set (issue 16, item 13): an offer or transfer that expires at once would
 * bounce a conversation between agents in a tight loop of desk tasks; whole seconds, like the unit.
 */
export const MIN_OFFER_TIMEOUT_SEC = 5;
export const MIN_TRANSFER_TIMEOUT_SEC = 5;
export const MIN_DISCONNECT_GRACE_SEC = 1;
export const MAX_ROUTING_TIMEOUT_SEC = 3600;

/**
 * The desk's routing settings as stored and held by the dispatcher workflow (GET /api/settings/routing).
 * Lenient on purpose: a desk configured before the minimums below keeps its settings; what an admin may
 * set now is DispatcherSettingsInputSchema.
 */
export const DispatcherSettingsSchema = z.object({
  /** automatic: assigned means accepted; manual: the agent must accept within offerTimeoutSec. */
  serviceMode: z.enum(['automatic', 'manual']),
  offerTimeoutSec: z.number().positive().max(3600),
  /** Switch an agent to away when an offer to them expires. */
  awayOnMissedOffer: z.boolean(),
  disconnectGraceSec: z.number().positive().max(3600),
  strategy: AssignmentStrategySchema,
  transferConfirmation: z.boolean(),
  /** Easemob-style transfer confirmation timeout (default 4 min). */
  transferTimeoutSec: z.number().positive().max(3600),
  agentsMayJoinQueued: z.boolean(),
  agentsMayChangeLimit: z.boolean(),
  /**
   * A transfer to a team when none of its members is online with room (issue 22, Easemob): `queue` puts it in
   * the team's queue; `busy-member` asks a busy or away member with room (Parley before issue 22).
   */
  teamTransferWhenNobodyIdle: z.enum(['queue', 'busy-member']),
  /** Tencent ChatBot.OnAssignAgent-style hook, used by the `webhook` strategy. */
  assignWebhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).nullable(),
  assignWebhookTimeoutMs: z.number().int().min(100).max(30_000),
  /** Fail a hand-off at once (the flow's "failed" branch) when no agent of the team is signed in. */
  handoffFailsWhenNobodyOnline: z.boolean(),
  /**
   * Queue positions are told at most this often (changes in between are merged, the latest is told), so
   * the fan-out to every waiting visitor is not on the path of every assignment. 0 tells every change at once.
   */
  queuePositionIntervalMs: z.number().int().min(0).max(60_000),
}).strict();
export type DispatcherSettings = z.infer<typeof DispatcherSettingsSchema>;

const wholeSeconds = (min: number) =>
  z.number().min(min, `must be at least ${min} s`).max(MAX_ROUTING_TIMEOUT_SEC, `must be at most ${MAX_ROUTING_TIMEOUT_SEC} s`).int('must be a whole number of seconds');

/** What an admin may set (PUT /api/settings/routing): the stored shape with sane minimums for the timeouts. */
export const DispatcherSettingsInputSchema = DispatcherSettingsSchema.extend({
  offerTimeoutSec: wholeSeconds(MIN_OFFER_TIMEOUT_SEC),
  disconnectGraceSec: wholeSeconds(MIN_DISCONNECT_GRACE_SEC),
  transferTimeoutSec: wholeSeconds(MIN_TRANSFER_TIMEOUT_SEC),
}).strict();
