import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient, type StaffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { HANDOFF, acceptOffer, adminToken, end, flowOf, gap, lines, publishFlow, say, transcript, visitorOn } from './helpers.js';

/** A worker restart (crash, deploy) is invisible to the visitor: forms keep their answers and retries, timers fire once, on time. */
describe('worker restart', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  it('in the middle of a form: answers and the retry count survive', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      { id: 'name', type: 'form', config: { prompt: 'Your name?', formType: 'text', variable: 'name' }, edges: [{ on: 'next', to: 'code' }] },
      {
        id: 'code', type: 'form',
        config: { prompt: 'Your code, ${name}?', formType: 'text', variable: 'code', maxRetries: 1, rules: [{ type: 'regex', pattern: '^[0-9]{4}$', message: 'Four digits, please.' }] },
        edges: [{ on: 'next', to: 'done' }, { on: 'fallback', to: 'gave-up' }],
      },
      end('done', 'Thanks ${name}, code ${code} accepted.'),
      end('gave-up', 'Sorry ${name}, that did not work.'),
    ]));

    const ok = await visitorOn(stack, channel, 'Ada');
    const retried = await visitorOn(stack, channel, 'Bo');
    for (const [v, name] of [[ok, 'Ada Lovelace'], [retried, 'Bo Diddley']] as const) {
      await v.waitForBody('form');
      await say(v, name);
      await v.waitForBody('form', (f) => f.nodeId === 'code');
    }
    await say(retried, 'abc'); // first refusal before the restart
    await retried.waitForBody('notice');

    const restarting = stack.restartWorker();
    await say(ok, '1234'); // sent while the worker is going down: the signal waits in Temporal
    await restarting;
    await say(retried, 'still wrong'); // second refusal after the restart: over maxRetries 1

    expect((await ok.waitForBody('end')).text).toBe('Thanks Ada Lovelace, code 1234 accepted.');
    expect((await retried.waitForBody('end')).text).toBe('Sorry Bo Diddley, that did not work.');
    expect(lines(await transcript(stack, ok.conversation.id))).toEqual([
      'form: Your name?', 'text: Ada Lovelace', 'form: Your code, Ada Lovelace?', 'text: 1234', 'end(flow): Thanks Ada Lovelace, code 1234 accepted.',
    ]);
    expect(lines(await transcript(stack, retried.conversation.id)).slice(2)).toEqual([
      'form: Your code, Bo Diddley?', 'text: abc', 'notice: Four digits, please.', 'form: Your code, Bo Diddley?', 'text: still wrong',
      'end(flow): Sorry Bo Diddley, that did not work.',
    ]);
    ok.close();
    retried.close();
  });

  it('in the middle of a timer: the reminder and the timeout fire once, not before they are due', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([HANDOFF], {
      visitorReminderSec: 2, visitorReminderText: 'Still there?', visitorTimeoutSec: 4, visitorTimeoutText: 'No answer: closed.', closeText: 'Ended.',
    }));
    const agent: StaffClient = await staffClient(stack.baseUrl, 'alice@parley.local');
    await agent.setStatus('online');
    const visitor = await visitorOn(stack, channel, 'Cy');
    await acceptOffer(agent, visitor);
    const sent = await agent.send(visitor.conversation.id, 'Hello?');

    await stack.restartWorker(); // both timers are pending now

    const reminder = await visitor.waitFor('message', (m) => m.body.kind === 'notice' && m.body.text === 'Still there?');
    const timeout = await visitor.waitFor('message', (m) => m.body.kind === 'timeout');
    await visitor.waitForBody('end');
    expect(gap(sent.message, reminder)).toBeGreaterThanOrEqual(2000 - 50);
    expect(gap(sent.message, timeout)).toBeGreaterThanOrEqual(4000 - 50);
    expect(lines(await transcript(stack, visitor.conversation.id)).slice(-4)).toEqual([
      'text: Hello?', 'notice: Still there?', 'timeout: No answer: closed.', 'end(timer): Ended.',
    ]);
    visitor.close();
    agent.close();
  });
});
