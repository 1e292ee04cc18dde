import type { WorkflowHandle } from '@temporalio/client';
import { loadDispatcherSettings } from '../../db/settings.js';
import { dispatcherWorkflowId } from '../../workflows/dispatcher/messages.js';
import type { ApiContext } from '../context.js';

const ensured = new WeakMap<ApiContext, Promise<WorkflowHandle>>();

/** Starts the desk's dispatcher once per API process if it is not running, and returns its handle. */
export function ensureDispatcher(ctx: ApiContext): Promise<WorkflowHandle> {
  let handle = ensured.get(ctx);
  if (!handle) {
    handle = startDispatcher(ctx);
    handle.catch(() => ensured.delete(ctx));
    ensured.set(ctx, handle);
  }
  return handle;
}

async function startDispatcher(ctx: ApiContext): Promise<WorkflowHandle> {
  const workflowId = dispatcherWorkflowId(ctx.config.deskId);
  const settings = await loadDispatcherSettings(ctx.database.db);
  try {
    await ctx.temporal.workflow.start('dispatcherWorkflow', {
      workflowId,
      taskQueue: ctx.config.taskQueue,
      args: [{ deskId: ctx.config.deskId, settings }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    if (!(err instanceof Error && /already started/i.test(err.message))) throw err;
  }
  return ctx.temporal.workflow.getHandle(workflowId);
}
