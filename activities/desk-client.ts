import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { dispatcherWorkflowId } from '../domain/contracts/dispatcher-workflow.js';
import type { DispatcherSettings } from '../domain/desk/state.js';
import type { DispatcherWorkflow } from '../domain/contracts/dispatcher-workflow.js';

type Dispatcher = DispatcherWorkflow;
export type DeskHandle = WorkflowHandle<Dispatcher>;
/** How the desk is started: its id, task queue and input, keeping a running one (`USE_EXISTING`). */
type DeskStartOptions = ConstructorParameters<typeof WithStartWorkflowOperation<Dispatcher>>[1];

export interface DeskClientOptions {
  temporal: Client;
  deskId: string;
  /** Where and with which routing settings to start the desk; without them this client only talks to a running desk. */
  taskQueue?: string;
  /** The routing settings a desk starts with (read only when it has to be started). */
  loadSettings?(): Promise<DispatcherSettings>;
  /** The dispatcher workflow function the desk is started by (activities/workflow-types.ts); needed to start it. */
  dispatcherWorkflow?: DispatcherWorkflow;
}

/** Per-call options: `updateId` makes a retried call join the update already in flight instead of adding one. */
export interface DeskUpdateOptions { updateId?: string }

/**
 * The one client of the desk's dispatcher workflow (`dispatcher-<deskId>`), used by the API and by the
 * activities. The dispatcher is started by its function (handed in as `dispatcherWorkflow`) with
 * `USE_EXISTING`, so starting a running desk keeps it. Its updates and signals are the definitions of
 * workflows/dispatcher/messages.ts (no workflow code is loaded).
 */
export function deskClient(options: DeskClientOptions) {
  const { temporal, deskId, taskQueue } = options;
  const workflowId = dispatcherWorkflowId(deskId);
  const handle = (): DeskHandle => temporal.workflow.getHandle<Dispatcher>(workflowId);
  const dispatcher = (): Dispatcher => {
    if (!options.dispatcherWorkflow) throw new Error('this desk client cannot start the desk (no dispatcher workflow function)');
    return options.dispatcherWorkflow;
  };
  const startOptions = async (): Promise<DeskStartOptions> => {
    if (!taskQueue || !options.loadSettings) throw new Error('this desk client cannot start the desk (no task queue or settings)');
    return { workflowId, taskQueue, args: [{ deskId, settings: await options.loadSettings() }], workflowIdConflictPolicy: 'USE_EXISTING' };
  };
  let started: Promise<DeskHandle> | undefined;

  /** Starts the desk if it is not running, once per client (a failed start is tried again next time); returns its handle. */
  function ensureStarted(): Promise<DeskHandle> {
    if (!started) {
      started = (async () => {
        try {
          await temporal.workflow.start(dispatcher(), await startOptions());
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
        return handle();
      })();
      started.catch(() => { started = undefined; });
    }
    return started;
  }

  return {
    deskId,
    workflowId,
    handle,
    ensureStarted,

    /** An update on the desk (started first if this client has not yet); one the server gave up on because its workflow task failed is asked again. */
    async update<Ret, Arg>(def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
      const desk = await ensureStarted();
      return retryAbortedUpdate(() => desk.executeUpdate(def, { args: [arg] }));
    },

    /** An update on the desk that starts the desk with it if it is not running, in one call (update-with-start). */
    async updateWithStart<Ret, Arg>(def: UpdateDefinition<Ret, [Arg]>, arg: Arg, opts: DeskUpdateOptions = {}): Promise<Ret> {
      return temporal.workflow.executeUpdateWithStart(def, {
        ...(opts.updateId ? { updateId: opts.updateId } : {}),
        args: [arg],
        startWorkflowOperation: new WithStartWorkflowOperation(dispatcher(), await startOptions()),
      });
    },

    /** An update on the desk only if it is running: a desk that is not fails with WorkflowNotFoundError (it holds nothing). */
    updateIfRunning<Ret, Arg>(def: UpdateDefinition<Ret, [Arg]>, arg: Arg, opts: DeskUpdateOptions = {}): Promise<Ret> {
      return handle().executeUpdate(def, { ...(opts.updateId ? { updateId: opts.updateId } : {}), args: [arg] });
    },

    /** A signal to the desk (started first if this client has not yet). */
    async signal<Arg>(def: SignalDefinition<[Arg]>, arg: Arg): Promise<void> {
      await (await ensureStarted()).signal(def, arg);
    },
  };
}
export type DeskClient = ReturnType<typeof deskClient>;

/**
 * The server gives up an update whose workflow task failed (a worker stopping mid-task): the update was
 * never applied, so asking again is safe. Seen as FAILED_PRECONDITION "…unexpected workflow task failure".
 */
export async function retryAbortedUpdate<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isAbortedUpdate(err)) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function isAbortedUpdate(err: unknown): boolean {
  const texts = [err, err instanceof Error ? (err as { cause?: unknown }).cause : undefined]
    .map((e) => (e instanceof Error ? e.message : ''));
  return texts.some((t) => /unexpected workflow task failure/i.test(t));
}
