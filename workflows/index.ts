import type { WorkflowContracts } from '../domain/contracts/workflows.js';
import { conversationWorkflow } from './conversation/workflow.js';
import { dispatcherWorkflow } from './dispatcher/workflow.js';

export { conversationWorkflow, dispatcherWorkflow };

/** Compile-time check that the registered workflows are what their callers start (domain/contracts/workflows.ts). */
type Registered<T extends WorkflowContracts> = T;
export type RegisteredWorkflows = Registered<{ conversationWorkflow: typeof conversationWorkflow; dispatcherWorkflow: typeof dispatcherWorkflow }>;
