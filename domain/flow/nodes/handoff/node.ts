import type { NodeOfSchema, NodeType } from '../types.js';
import type { SchemaKit } from '../kit.js';
import { DEFAULT_TEXTS } from '../../default-texts.js';
import { nodeTexts } from '../../text-fields.js';

/** A hand-off node: queues the visitor for an agent. Edges: failed (optional; without it a failed hand-off ends the conversation). */
export const handoffSchema = ({ z, base, text }: SchemaKit) => z.object({
  ...base,
  type: z.literal('handoff'),
  config: z.object({
    teamId: z.string().nullable().default(null),
    connecting: text(z.string()).default(DEFAULT_TEXTS.handoffConnecting),
    connected: text(z.string()).default(DEFAULT_TEXTS.handoffConnected),
    failed: text(z.string()).default(DEFAULT_TEXTS.handoffFailed),
    /** Issue 19: this node's answer when nobody can answer (settings.offline's by default; docs/flows.md). */
    whenNobodyAnswers: z.enum(['settings', 'queue', 'message', 'fail']).default('settings'),
  }),
});

export type HandoffNode = NodeOfSchema<typeof handoffSchema>;

/**
 * Asks the workflow to queue the visitor for an agent and waits. The workflow says `connecting`,
 * then `connected` (interpolating `${agentName}` itself, so it is passed uninterpolated, in the visitor's
 * locale) or `failed`;
 * after a failure it resumes the flow, which follows `failed` or ends.
 */
export const handoffNode: NodeType<typeof handoffSchema> = {
  type: 'handoff',
  schema: handoffSchema,
  edges: ['failed'],
  texts: nodeTexts,
  enter(ctx) {
    const { config } = ctx.node;
    ctx.emit({
      type: 'handoff',
      nodeId: ctx.node.id,
      teamId: config.teamId,
      connecting: ctx.text(config.connecting),
      connected: ctx.localize(config.connected),
      failed: ctx.text(config.failed),
      ...(config.whenNobodyAnswers && config.whenNobodyAnswers !== 'settings' ? { whenNobodyAnswers: config.whenNobodyAnswers } : {}),
    });
    return { kind: 'wait', wait: 'handoff' };
  },
  handoffFailed() {
    return { kind: 'follow', on: 'failed' };
  },
};
