/**
 * Temporal floors for the benchmark: minimal workflows doing the same kind of Temporal and
 * PostgreSQL work as Parley's conversation workflow, without Parley (no API, no Socket.IO, no flow
 * engine, no search attributes, no dispatcher). Run by bench/baselines/echo-worker.ts on task queue
 * `bench-echo`, same Temporal server and PostgreSQL as Parley, same worker options.
 *
 * Every local activity (`recordAndNotify`) does what Parley's postMessages does for one message:
 * INSERT a row with a JSON body into PostgreSQL (idempotent on a deterministic key), SELECT it back,
 * then `SELECT pg_notify(channel, <JSON envelope of ~0.5 kB>)`.
 */
import { condition, continueAsNew, defineSignal, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { EchoActivities } from './echo-activities.js';

// Same activity options as workflows/conversation/workflow.ts.
const local = proxyLocalActivities<EchoActivities>({ startToCloseTimeout: '10s', retry: { initialInterval: '200ms', maximumInterval: '5s' } });
const remote = proxyActivities<EchoActivities>({ startToCloseTimeout: '30s', retry: { initialInterval: '500ms', maximumInterval: '30s' } });

export const echoSignal = defineSignal<[{ requestId: string }]>('echo');

/**
 * Round-trip floor (compare: visitor answer → bot reply). On each `echo` signal: one workflow task
 * that runs one local activity which writes a row and NOTIFYs the requestId on channel `bench_echo`.
 */
export async function echoWorkflow(input: { channel: string }): Promise<void> {
  const inbox: string[] = [];
  let counter = 0;
  setHandler(echoSignal, ({ requestId }) => { inbox.push(requestId); });
  for (;;) {
    await condition(() => inbox.length > 0);
    while (inbox.length > 0) {
      const requestId = inbox.shift()!;
      await local.recordAndNotify({ workflowId: workflowInfo().workflowId, key: `e:${++counter}`, channel: input.channel, notify: requestId });
    }
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof echoWorkflow>(input);
  }
}

export const floorStepSignal = defineSignal<[{ step: 'choice' | 'form' | 'msg' }]>('floorStep');
export const floorAssignedSignal = defineSignal('floorAssigned');
export const floorCloseUpdate = defineUpdate<string>('floorClose');
export const floorRateUpdate = defineUpdate<string, [number]>('floorRate');

/**
 * Throughput floor (compare: one complete Parley conversation). Same count and order of Temporal
 * operations as the conversation workflow for the bench flow:
 *   start                → LA, LA                       (project; say welcome + menu)        notify "menu"
 *   signal choice        → LA                           (say form prompt)                    notify "form"
 *   signal form          → LA, LA, activity             (say connecting; project; enqueue — the activity signals "assigned"
 *                                                        back, standing in for the dispatcher)
 *   signal assigned      → LA, LA                       (project; say connected)             notify "assigned"
 *   4 × signal msg       → (workflow task only)         (two visitor + two agent messages)
 *   update close         → LA, LA                       (project; say end + rating invite)   notify "closed"
 *   update rate          → activity, LA, LA             (store rating; say thanks; project)
 * = 1 start, 7 signals, 2 updates, 11 local activities, 2 activities; then it waits like a
 * conversation in its rating window. Not included: the desk dispatcher's own workflow tasks.
 */
export async function floorConversationWorkflow(input: { channel: string }): Promise<void> {
  const id = workflowInfo().workflowId;
  const inbox: string[] = [];
  let status = 'bot';
  let n = 0;
  const la = (notify: string | null) => local.recordAndNotify({ workflowId: id, key: `f:${++n}`, channel: input.channel, notify: notify ? `${id}:${notify}` : null });

  setHandler(floorStepSignal, ({ step }) => { inbox.push(step); });
  setHandler(floorAssignedSignal, () => { inbox.push('assigned'); });
  setHandler(floorCloseUpdate, async () => {
    inbox.push('close');
    await condition(() => status === 'rating');
    return status;
  });
  setHandler(floorRateUpdate, async (score) => {
    await remote.floorStoreRating({ workflowId: id, score });
    await la(null);
    await la(null);
    return 'counted';
  });

  await la(null);
  await la('menu');
  for (;;) {
    await condition(() => inbox.length > 0);
    const step = inbox.shift()!;
    if (step === 'choice') await la('form');
    else if (step === 'form') {
      await la(null);
      await la(null);
      await remote.floorEnqueue({ workflowId: id });
    } else if (step === 'assigned') {
      await la(null);
      await la('assigned');
    } else if (step === 'close') {
      await la(null);
      await la('closed');
      status = 'rating';
    }
  }
}
