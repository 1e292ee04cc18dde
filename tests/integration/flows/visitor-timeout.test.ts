import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient, type StaffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { HANDOFF, acceptOffer, adminToken, flowOf, gap, lines, publishFlow, say, statusOf, transcript, visitorOn } from './helpers.js';

/**
 * The visitor no-reply timer: after an agent writes, a silent visitor gets one reminder, then the
 * conversation closes by timer with a `timeout` message and the `end` message.
 */
describe('visitor no-reply timer', () => {
  let stack: Stack;
  let agent: StaffClient;
  let channel: string;

  beforeAll(async () => {
    stack = await startStack();
    ({ channel } = await publishFlow(stack, await adminToken(stack), flowOf([HANDOFF], {
      visitorReminderSec: 1, visitorReminderText: 'Are you still there, ${visitorName}?',
      visitorTimeoutSec: 3, visitorTimeoutText: 'We closed this chat because ${visitorName} did not answer.',
      closeText: 'Chat ended.',
    })));
    agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    await agent.setStatus('online');
  });
  afterAll(async () => {
    agent?.close();
    await stack?.stop();
  });

  it('reminds once, then closes by timer; each reply restarts the wait', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    await acceptOffer(agent, visitor);
    const first = await agent.send(visitor.conversation.id, 'Hello, how can I help?');
    await say(visitor, 'One moment'); // answering stops the clock
    const second = await agent.send(visitor.conversation.id, 'Take your time.');

    const reminder = await visitor.waitFor('message', (m) => m.body.kind === 'notice' && m.body.text === 'Are you still there, Ada?');
    const timeout = await visitor.waitFor('message', (m) => m.body.kind === 'timeout');
    const end = await visitor.waitFor('message', (m) => m.body.kind === 'end');
    expect(timeout.body).toEqual({ kind: 'timeout', text: 'We closed this chat because Ada did not answer.' });
    expect(end.body).toEqual({ kind: 'end', text: 'Chat ended.', closedBy: 'timer' });
    // measured from the agent's last message, not the first one
    expect(gap(second.message, reminder)).toBeGreaterThanOrEqual(1000 - 50);
    expect(gap(second.message, timeout)).toBeGreaterThanOrEqual(3000 - 50);
    expect(gap(first.message, timeout)).toBeGreaterThan(gap(second.message, timeout));
    expect(await statusOf(stack, visitor, 'ended')).toMatchObject({ closedBy: 'timer' });

    // Live chat never went through Temporal: the workflow was signalled no chat message.
    const history = await stack.temporal.workflow.getHandle(`conversation-${visitor.conversation.id}`).fetchHistory();
    const signals = (history.events ?? []).flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
    expect(signals.filter((n) => n === 'visitorMessage' || n === 'agentMessage')).toEqual([]);

    expect(lines(await transcript(stack, visitor.conversation.id)).slice(-6)).toEqual([
      'text: Hello, how can I help?', 'text: One moment', 'text: Take your time.',
      'notice: Are you still there, Ada?',
      'timeout: We closed this chat because Ada did not answer.',
      'end(timer): Chat ended.',
    ]);
    visitor.close();
  });

  it('does not run while the visitor has the last word', async () => {
    const visitor = await visitorOn(stack, channel, 'Bo');
    await acceptOffer(agent, visitor);
    const hi = await agent.send(visitor.conversation.id, 'Hi Bo');
    await visitor.waitForBody('notice', (n) => n.text === 'Are you still there, Bo?');
    await say(visitor, 'Yes, sorry!'); // before the timeout
    // nothing to await for "nothing happens": wait past the deadline the agent's message had set
    const deadline = new Date(hi.message.createdAt).getTime() + 2500;
    await new Promise((r) => setTimeout(r, deadline + 700 - Date.now()));
    expect((await statusOf(stack, visitor, 'assigned')).closedBy).toBeNull();
    const closed = await agent.closeConversation(visitor.conversation.id);
    expect(closed).toEqual({ ok: true });
    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'agent' });
    const seen = lines(await transcript(stack, visitor.conversation.id));
    expect(seen.filter((l) => l.startsWith('timeout:'))).toEqual([]);
    visitor.close();
  });
});
