import type { WorkflowContracts } from '../domain/contracts/workflows.js';

/**
 * The workflow functions, so callers start them by reference (`temporal.workflow.start(conversationWorkflow, …)`):
 * a start with the wrong arguments fails to compile, and the type name is the function's own. Imported by the
 * API, the worker, tests and the bench, never by another module in activities/ (workflows import the
 * activities' types, so that would close an import cycle; the lint config forbids it). The desk client is
 * handed the dispatcher function instead (`DeskClientOptions.dispatcherWorkflow`).
 */
export { conversationWorkflow } from '../workflows/conversation/workflow.js';
export { dispatcherWorkflow } from '../workflows/dispatcher/workflow.js';

export type WorkflowName = keyof WorkflowContracts;
export type WorkflowOf<N extends WorkflowName> = WorkflowContracts[N];
