import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, lines, nth, publishFlow, say, transcript, visitorOn, type NodeInput } from './helpers.js';

/** Menu nodes: pick by click, text or number; invalid answers get the retry notice, then the fallback; "back" returns. */
describe('menu node', () => {
  let stack: Stack;
  let channel: string;

  const main: NodeInput = {
    id: 'main', type: 'menu',
    config: {
      header: 'How can we help, ${visitorName}?',
      items: [{ id: 'billing', content: 'Billing' }, { id: 'tech', content: 'Technical problem', description: 'Anything that is broken' }],
      tail: 'Reply with a number.',
      retryMessage: 'Please pick 1 or 2, ${visitorName}.',
      maxRetries: 1,
    },
    edges: [{ on: 'billing', to: 'billing' }, { on: 'tech', to: 'tech-end' }, { on: 'fallback', to: 'fallback-end' }],
  };
  const billing: NodeInput = {
    id: 'billing', type: 'menu',
    config: { header: 'Billing', items: [{ id: 'refund', content: 'Refund' }, { id: 'back', content: 'Back', back: true }] },
    edges: [{ on: 'refund', to: 'refund-end' }],
  };

  beforeAll(async () => {
    stack = await startStack();
    ({ channel } = await publishFlow(stack, await adminToken(stack), flowOf([
      main, billing, end('refund-end', 'Refund requested.'), end('tech-end', 'Tech support will help.'), end('fallback-end', 'Sorry, we could not understand you.'),
    ])));
  });
  afterAll(async () => { await stack?.stop(); });

  it('shows the menu with its items, description and tail', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    const menu = await visitor.waitForBody('menu');
    expect(menu).toEqual({
      kind: 'menu', nodeId: 'main', header: 'How can we help, Ada?', tail: 'Reply with a number.',
      items: [{ id: 'billing', content: 'Billing' }, { id: 'tech', content: 'Technical problem', description: 'Anything that is broken' }],
    });
    visitor.close();
  });

  it('follows a clicked item, goes back with the back item, and accepts typed text and numbers', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('menu');
    await say(visitor, 'Billing', 'billing'); // click
    await visitor.waitForBody('menu', (m) => m.header === 'Billing');
    await say(visitor, 'Back'); // typed text of the back item
    await nth(visitor, 'menu', 2, (m) => m.header === 'How can we help, Ada?');
    await say(visitor, '1'); // number of "Billing"
    await nth(visitor, 'menu', 2, (m) => m.header === 'Billing');
    await say(visitor, 'whatever', 'refund'); // a click wins over the text
    expect(await visitor.waitForBody('end')).toMatchObject({ text: 'Refund requested.', closedBy: 'flow' });
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      'menu: How can we help, Ada?', 'text: Billing',
      'menu: Billing', 'text: Back',
      'menu: How can we help, Ada?', 'text: 1',
      'menu: Billing', 'text: whatever',
      'end(flow): Refund requested.',
    ]);
    visitor.close();
  });

  it('answers an invalid choice with the retry notice and the menu again, then takes the fallback', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('menu');
    await say(visitor, 'banana');
    expect((await visitor.waitForBody('notice')).text).toBe('Please pick 1 or 2, Ada.');
    await say(visitor, '7'); // out of range: second invalid answer, maxRetries 1
    expect(await visitor.waitForBody('end')).toMatchObject({ text: 'Sorry, we could not understand you.', closedBy: 'flow' });
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      'menu: How can we help, Ada?', 'text: banana',
      'notice: Please pick 1 or 2, Ada.', 'menu: How can we help, Ada?', 'text: 7',
      'end(flow): Sorry, we could not understand you.',
    ]);
    visitor.close();
  });

  it('resets the retry count after a valid choice', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('menu');
    await say(visitor, 'nope'); // one invalid answer on the main menu
    await visitor.waitForBody('notice');
    await say(visitor, 'Billing');
    await visitor.waitForBody('menu', (m) => m.header === 'Billing');
    await say(visitor, 'Back');
    await nth(visitor, 'menu', 3, (m) => m.header === 'How can we help, Ada?');
    await say(visitor, 'still nope'); // first invalid answer here again: a notice, not the fallback
    await nth(visitor, 'notice', 2);
    await say(visitor, '2');
    expect((await visitor.waitForBody('end')).text).toBe('Tech support will help.');
    visitor.close();
  });
});
