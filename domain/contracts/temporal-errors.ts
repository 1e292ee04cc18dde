import { WorkflowNotFoundError } from '@temporalio/client';

/** The workflow a client call addressed has finished or never existed (as the Temporal client reports it). */
export function isWorkflowGone(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (err instanceof Error && /workflow execution already completed|not found/i.test(err.message));
}
