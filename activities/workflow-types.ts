import type * as Workflows from '../workflows/index.js';

/**
 * The workflow types the worker registers, for starting them from the API and from activities. A
 * type-only import: the callers load no workflow code, yet a renamed or removed workflow function, or a
 * start with the wrong arguments (`start<WorkflowOf<...>>`), fails to compile.
 */
export type WorkflowName = keyof typeof Workflows;
export type WorkflowOf<N extends WorkflowName> = (typeof Workflows)[N];

export const WORKFLOW_TYPES = {
  conversation: 'conversationWorkflow',
  dispatcher: 'dispatcherWorkflow',
} as const satisfies Record<string, WorkflowName>;
