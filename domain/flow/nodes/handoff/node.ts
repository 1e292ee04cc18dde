import type { NodeHandler } from '../types.js';

/**
 * Asks the workflow to queue the visitor for an agent and waits. The workflow says `connecting`,
 * then `connected` (interpolating `${agentName}` itself, so it is passed uninterpolated) or `failed`;
 * after a failure it resumes the flow, which follows `failed` or ends.
 */
export const handoffNode: NodeHandler<'handoff'> = {
  edges: ['failed'],
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
