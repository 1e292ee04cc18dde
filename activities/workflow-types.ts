import type { WorkflowContracts } from '../domain/contracts/workflows.js';

/**
 * The workflow types the worker registers, for starting them from the API and from activities: a start
 * with the wrong arguments (`start<WorkflowOf<...>>`) fails to compile, and the callers load no workflow code.
 */
export type WorkflowName = keyof WorkflowContracts;
export type WorkflowOf<N extends WorkflowName> = WorkflowContracts[N];

export const WORKFLOW_TYPES = {
  conversation: 'conversationWorkflow',
  dispatcher: 'dispatcherWorkflow',
} as const satisfies Record<string, WorkflowName>;
