import { dispatcherWorkflow } from '../../../activities/workflow-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDispatcherSettings } from '../../../db/settings.js';
import type { VisitorClient } from '../../helpers/clients.js';
import { startDesk, waitUntil, type Desk } from './helpers.js';

/**
 * The desk continues as new while conversations arrive and close in bursts. Anything sent to it as a
 * signal during its continue-as-new task makes the server refuse that task, and the retry replays the
 * whole history: with a real desk's history that was seconds without routing (docs/performance.md).
 * Arrivals, releases and agent closes reach the desk as updates, which do not do that.
 */
describe('routing: the desk continues as new under a burst', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'automatic', queuePositionIntervalMs: 0 } }); });
  afterAll(async () => { await desk?.close(); });

  it('serves and closes a burst of conversations across several runs of the desk, with no desk task refused', { timeout: 120_000 }, async () => {
    const { stack } = desk;
    const workflowId = `dispatcher-${stack.deskId}`;
    // A short history, so the desk continues as new many times during the burst.
    const first = await stack.temporal.workflow.start(dispatcherWorkflow, {
      workflowId, taskQueue: stack.taskQueue,
      args: [{ deskId: stack.deskId, settings: await loadDispatcherSettings(stack.database.db), historyLimit: 30 }],
    });
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 50 });

    const visitors: VisitorClient[] = await Promise.all(Array.from({ length: 24 }, () => desk.visitor({ team })));
    await Promise.all(visitors.map((v) => desk.assigned(v.conversation.id, agent.userId, 60_000)));

    // half are closed by the agent, half by their visitors, all at once
    const acks = await Promise.all(visitors.map((v, i) => (i % 2 === 0
      ? agent.closeConversation(v.conversation.id)
      : v.socket.timeout(30_000).emitWithAck('visitor:close', {}))));
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    await Promise.all(visitors.map((v) => desk.status(v.conversation.id, 'ended', 60_000)));
    await desk.agentView(agent.userId, (a) => a.conversationIds.length === 0 && a.offeredIds.length === 0, 'the agent holds nothing', 30_000);

    // every run of the desk, following each continue-as-new to the next
    const refused: string[] = [];
    const signals: string[] = [];
    let runs = 0;
    for (let runId: string | null | undefined = first.firstExecutionRunId; runId; runs++) {
      const history = await stack.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
      for (const e of history.events ?? []) {
        const failed = e.workflowTaskFailedEventAttributes;
        if (failed) refused.push(`${runId.slice(0, 8)}: ${failed.cause} ${failed.failure?.message ?? ''}`);
        const name = e.workflowExecutionSignaledEventAttributes?.signalName;
        if (name) signals.push(name);
      }
      runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    }
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(refused).toEqual([]);
    // The refusals are a race with the desk's task (rare at this size); none of the burst's traffic can cause one.
    expect(signals.filter((name) => name === 'enqueueConversation' || name === 'releaseConversation')).toEqual([]);
    await waitUntil(async () => (await desk.snapshot()).queue.length === 0 || null, 'the queue is empty');
  });
});
