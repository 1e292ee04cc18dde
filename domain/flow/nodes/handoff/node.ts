import type { NodeOfSchema, NodeType } from '../types.js';
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
    /** Issue 19: this node's answer when nobody can answer (settings.offline's by default; docs/flows.md). */
    whenNobodyAnswers: z.enum(['settings', 'queue', 'message', 'fail']).default('settings'),
  }),
});

export type HandoffNode = NodeOfSchema<typeof handoffSchema>;

/**
 * Asks the workflow to queue the visitor for an agent and waits. The workflow says `connecting`,
 * then `connected` (interpolating `${agentName}` itself, so it is passed uninterpolated) or `failed`;
 * after a failure it resumes the flow, which follows `failed` or ends.
 */
export const handoffNode: NodeType<typeof handoffSchema> = {
  type: 'handoff',
  schema: handoffSchema,
  edges: ['failed'],
  texts: (node) => [node.config.connecting, node.config.connected, node.config.failed],
  enter(ctx) {
    const { config } = ctx.node;
    ctx.emit({
      type: 'handoff',
      nodeId: ctx.node.id,
      teamId: config.teamId,
      connecting: ctx.text(config.connecting),
      connected: config.connected,
      failed: ctx.text(config.failed),
      ...(config.whenNobodyAnswers && config.whenNobodyAnswers !== 'settings' ? { whenNobodyAnswers: config.whenNobodyAnswers } : {}),
    });
    return { kind: 'wait', wait: 'handoff' };
  },
  handoffFailed() {
    return { kind: 'follow', on: 'failed' };
  },
};
