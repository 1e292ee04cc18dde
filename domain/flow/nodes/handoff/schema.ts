import type { SchemaKit } from '../kit.js';

/** A hand-off node: queues the visitor for an agent. Edges: failed (optional; without it a failed hand-off ends the conversation). */
export const handoffSchema = ({ z, base }: SchemaKit) => z.object({
  ...base,
  type: z.literal('handoff'),
  config: z.object({
    teamId: z.string().nullable().default(null),
    connecting: z.string().default('Connecting you to an agent…'),
    connected: z.string().default('You are now chatting with ${agentName}.'),
    failed: z.string().default('Sorry, no agent is available right now.'),
  }),
});
