import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { loadDispatcherSettings } from '../../db/settings.js';
import { dispatcherWorkflowId } from '../../domain/contracts/dispatcher-workflow.js';
import type { ApiContext } from '../context.js';
import { retryAbortedUpdate } from './temporal-errors.js';

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

/** Runs an update on the desk; one the server gave up because its workflow task failed is asked again. */
export async function updateDesk<Ret, Arg>(ctx: ApiContext, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
  const handle = await ensureDispatcher(ctx);
  return retryAbortedUpdate(() => handle.executeUpdate(def, { args: [arg] }));
}
