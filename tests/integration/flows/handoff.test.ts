import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatcherStateQuery, dispatcherWorkflowId } from '../../../domain/contracts/dispatcher-workflow.js';
import { handoffFailedSignal } from '../../../domain/contracts/conversation-workflow.js';
import { staffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, lines, publishFlow, say, statusOf, transcript, visitorOn, type NodeInput, POLL } from './helpers.js';

/**
 * Hand-off nodes: the visitor is told they are being connected, then who they are talking to, or
 * that nobody is available (then the flow's `failed` branch runs, or the conversation ends).
 *
 * The dispatcher does not send `handoffFailed` yet (no "team has no agents" rule there), so the
 * failure tests deliver that signal with the Temporal client, as the dispatcher will.
 */
describe('handoff node', () => {
  let stack: Stack;
  let token: string;

  const handoff = (edges: NodeInput['edges']): NodeInput => ({
    id: 'handoff', type: 'handoff',
    config: { teamId: 'support', connecting: 'Connecting you, ${visitorName}…', connected: 'Hi ${visitorName}, ${agentName} here.', failed: 'Sorry ${visitorName}, nobody is free.' },
    edges,
  });

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  it('on failure says so and follows the failed branch; the queue forgets the conversation', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      handoff([{ on: 'failed', to: 'note' }]),
      { id: 'note', type: 'form', config: { prompt: 'Leave your email and we will write back.', formType: 'text', variable: 'email', rules: [{ type: 'email', message: 'An email address, please.' }] }, edges: [{ on: 'next', to: 'bye' }] },
      end('bye', 'We will write to ${email}.'),
    ]));
    const visitor = await visitorOn(stack, channel, 'Ada');
    expect((await visitor.waitForBody('notice')).text).toBe('Connecting you, Ada…');
    expect(await visitor.waitForBody('queue')).toMatchObject({ position: 1 });
    await statusOf(stack, visitor, 'queued');

    await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).signal(handoffFailedSignal, { reason: 'no agents in team support' });
    await visitor.waitForBody('notice', (n) => n.text === 'Sorry Ada, nobody is free.');
    await visitor.waitForBody('form');
    await say(visitor, 'ada@example.com');
    expect(await visitor.waitForBody('end')).toMatchObject({ text: 'We will write to ada@example.com.', closedBy: 'flow' });
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      'notice: Connecting you, Ada…',
      'queue: You are number 1 in the queue (0 ahead of you).',
      'notice: Sorry Ada, nobody is free.',
      'form: Leave your email and we will write back.',
      'text: ada@example.com',
      'end(flow): We will write to ada@example.com.',
    ]);
    // the conversation left the queue: no agent will be offered a conversation that is back with the bot
    const dispatcher = stack.temporal.workflow.getHandle(dispatcherWorkflowId(stack.deskId));
    await expect.poll(async () => (await dispatcher.query(dispatcherStateQuery)).queue.map((e) => e.conversationId), POLL)
      .not.toContain(visitor.conversation.id);
    visitor.close();
  });

  it('without a failed branch ends the conversation after the failure notice', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([handoff([])], { closeText: 'Goodbye ${visitorName}.' }));
    const visitor = await visitorOn(stack, channel, 'Bo');
    await visitor.waitForBody('queue');
    await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).signal(handoffFailedSignal, { reason: 'no agents' });
    expect(await visitor.waitForBody('end')).toMatchObject({ text: 'Goodbye Bo.', closedBy: 'flow' });
    expect(lines(await transcript(stack, visitor.conversation.id)).slice(-2)).toEqual(['notice: Sorry Bo, nobody is free.', 'end(flow): Goodbye Bo.']);
    visitor.close();
  });

  it('tells the visitor which agent took the conversation', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([handoff([])]));
    const agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    expect(await agent.setStatus('online')).toMatchObject({ ok: true });
    const visitor = await visitorOn(stack, channel, 'Cy');
    expect((await visitor.waitForBody('notice')).text).toBe('Connecting you, Cy…');
    await agent.waitFor('offer', (o: { conversationId: string }) => o.conversationId === visitor.conversation.id);
    expect(await agent.accept(visitor.conversation.id)).toEqual({ ok: true });
    expect((await visitor.waitForBody('notice', (n) => n.text !== 'Connecting you, Cy…')).text).toBe('Hi Cy, Alice here.');
    expect(await statusOf(stack, visitor, 'assigned')).toMatchObject({ agentName: 'Alice' });
    await agent.send(visitor.conversation.id, 'How can I help?');
    await visitor.waitFor('message', (m: { body: { text?: string } }) => m.body.text === 'How can I help?');
    visitor.close();
    agent.close();
  });
});
