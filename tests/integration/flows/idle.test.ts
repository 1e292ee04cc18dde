import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../../domain/contracts/conversation-workflow.js';
import { dispatcherStateQuery, dispatcherWorkflowId } from '../../../domain/contracts/dispatcher-workflow.js';
import { staffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { HANDOFF, acceptOffer, handoffTo, unstaffedTeam, adminToken, flowOf, gap, lines, nth, publishFlow, say, statusOf, transcript, visitorOn, POLL } from './helpers.js';

/** Inactivity auto-complete: while waiting (with the bot or in the queue) and while assigned, each with its own limit. */
describe('idle auto-complete', () => {
  let stack: Stack;
  let token: string;
  const idle = { idleCloseText: 'Closed after ${visitorName} was idle.', closeText: 'Goodbye.', queueReminderSec: null };

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  it('closes a conversation waiting in the queue and takes it out of the queue', async () => {
    const nobody = handoffTo(await unstaffedTeam(stack, token, 'nobody-online')); // nobody online: it waits
    // Long enough for the first queue position (told at most every queuePositionIntervalMs, 1 s) to arrive first.
    const { channel } = await publishFlow(stack, token, flowOf([nobody], { ...idle, waitingIdleSec: 3, assignedIdleSec: 60 }));
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitFor('message', (m) => m.body.kind === 'notice'); // "Connecting you…"
    await visitor.waitForBody('queue');
    // The workflow's own clock at the hand-off: the notice row is stamped later, by however long its activity took.
    const handedOffAt = (await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).query(stateQuery)).lastActivityAt;
    const timeout = await visitor.waitFor('message', (m) => m.body.kind === 'timeout');
    expect(timeout.body).toEqual({ kind: 'timeout', text: 'Closed after Ada was idle.' });
    expect(new Date(timeout.createdAt).getTime() - handedOffAt).toBeGreaterThanOrEqual(3000); // counted from the hand-off
    expect(new Date(timeout.createdAt).getTime() - handedOffAt).toBeLessThan(3000 + 2000); // and not left waiting on a later event
    expect(await visitor.waitForBody('end')).toEqual({ kind: 'end', text: 'Goodbye.', closedBy: 'timer' });
    expect(await statusOf(stack, visitor, 'ended')).toMatchObject({ closedBy: 'timer' });
    const dispatcher = stack.temporal.workflow.getHandle(dispatcherWorkflowId(stack.deskId));
    await expect.poll(async () => (await dispatcher.query(dispatcherStateQuery)).queue.map((e) => e.conversationId), POLL)
      .not.toContain(visitor.conversation.id);
    visitor.close();
  });

  it('closes a conversation whose visitor stopped answering the bot', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      { id: 'menu', type: 'menu', config: { header: 'Pick one', items: [{ id: 'a', content: 'A' }] }, edges: [] },
    ], { ...idle, waitingIdleSec: 2 }));
    const visitor = await visitorOn(stack, channel, 'Bo');
    await visitor.waitForBody('menu');
    await visitor.waitForBody('timeout');
    await statusOf(stack, visitor, 'ended');
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual(['menu: Pick one', 'timeout: Closed after Bo was idle.', 'end(timer): Goodbye.']);
    visitor.close();
  });

  it('counts a bot conversation idle from the last answer, without a new timer per answer', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      { id: 'menu', type: 'menu', config: { header: 'Pick one', items: [{ id: 'a', content: 'A' }] }, edges: [{ on: 'a', to: 'ok' }] },
      { id: 'ok', type: 'message', config: { text: 'Noted.' }, edges: [{ on: 'next', to: 'menu' }] },
    ], { ...idle, waitingIdleSec: 2 }));
    const visitor = await visitorOn(stack, channel, 'Cy');
    await visitor.waitForBody('menu');
    const answers = 4;
    for (let i = 1; i <= answers; i++) {
      await new Promise((r) => setTimeout(r, 700));
      await say(visitor, 'A', 'a');
      await nth(visitor, 'menu', i + 1);
    }
    const lastAnswerAt = (await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).query(stateQuery)).lastActivityAt;
    const timeout = await visitor.waitFor('message', (m) => m.body.kind === 'timeout');
    expect(new Date(timeout.createdAt).getTime() - lastAnswerAt).toBeGreaterThanOrEqual(2000);
    expect(new Date(timeout.createdAt).getTime() - lastAnswerAt).toBeLessThan(2000 + 1500);
    await statusOf(stack, visitor, 'ended');
    // 2.8 s of answers against a 2 s limit: the armed timer fires early (at most twice) and is re-armed,
    // instead of a timer started and cancelled per answer (answers + 1 started, answers cancelled).
    const history = await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).fetchHistory();
    const started = history.events?.filter((e) => e.timerStartedEventAttributes).length ?? 0;
    const cancelled = history.events?.filter((e) => e.timerCanceledEventAttributes).length ?? 0;
    expect(cancelled).toBe(0);
    expect(started).toBeLessThanOrEqual(3);
    visitor.close();
  });

  it('does not wake a closed conversation with the timer it waited on before the close', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      { id: 'menu', type: 'menu', config: { header: 'Pick one', items: [{ id: 'a', content: 'A' }] }, edges: [] },
    ], { ...idle, waitingIdleSec: 2, rating: { enabled: true, validitySec: 60 } }));
    const visitor = await visitorOn(stack, channel, 'Di');
    await visitor.waitForBody('menu');
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:close', {})).toEqual({ ok: true });
    await visitor.waitForBody('rating-invite');
    await new Promise((r) => setTimeout(r, 3000)); // past the idle deadline it had before the close
    const history = await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).fetchHistory();
    const timers = history.events?.filter((e) => e.timerStartedEventAttributes || e.timerFiredEventAttributes || e.timerCanceledEventAttributes)
      .map((e) => (e.timerStartedEventAttributes ? 'started' : e.timerFiredEventAttributes ? 'fired' : 'cancelled'));
    expect(timers?.sort()).toEqual(['cancelled', 'started', 'started']); // idle (cancelled by the close), the rating window; none fired
    visitor.close();
  });

  it('closes an assigned conversation nobody writes in, counting from the last message', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([HANDOFF], { ...idle, assignedIdleSec: 2, waitingIdleSec: 60, visitorTimeoutSec: 60 }));
    const agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    await agent.setStatus('online');
    const visitor = await visitorOn(stack, channel, 'Cy');
    await acceptOffer(agent, visitor);
    await new Promise((r) => setTimeout(r, 1000)); // the limit must count from the message, not the assignment
    const last = await agent.send(visitor.conversation.id, 'Anything else?');
    const timeout = await visitor.waitFor('message', (m) => m.body.kind === 'timeout');
    expect(timeout.body.text).toBe('Closed after Cy was idle.');
    expect(gap(last.message, timeout)).toBeGreaterThanOrEqual(2000 - 50);
    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'timer' });
    expect(await statusOf(stack, visitor, 'ended')).toMatchObject({ closedBy: 'timer', agentName: 'Alice' });
    // the agent's slot is free again
    await expect.poll(async () => (await agent.setStatus('online')).state.load, POLL).toBe(0);
    visitor.close();
    agent.close();
  });
});
