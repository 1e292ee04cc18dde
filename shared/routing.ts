import { z } from 'zod';

/** How a team (or the desk, by default) picks the agent for a waiting conversation (docs/routing.md). */
export const AssignmentStrategySchema = z.enum(['longest-idle', 'least-busy', 'round-robin', 'familiarity', 'webhook']);
export type AssignmentStrategy = z.infer<typeof AssignmentStrategySchema>;
/** What familiarity and webhook fall back to when they name no available agent. */
export type BaseStrategy = Exclude<AssignmentStrategy, 'familiarity' | 'webhook'>;

/** The desk's routing settings (GET/PUT /api/settings/routing), held by the dispatcher workflow. */
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
