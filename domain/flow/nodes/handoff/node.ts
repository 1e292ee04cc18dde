import type { NodeOfSchema, NodeType } from '../types.js';
import { handoffSchema } from './schema.js';

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
    });
    return { kind: 'wait', wait: 'handoff' };
  },
  handoffFailed() {
    return { kind: 'follow', on: 'failed' };
  },
};
