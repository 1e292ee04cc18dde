import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, lines, msg, publishFlow, say, transcript, visitorOn } from './helpers.js';

/** Message nodes: texts reach the visitor in order, with the visitor's name and earlier answers filled in. */
describe('message node', () => {
  let stack: Stack;
  let channel: string;

  beforeAll(async () => {
    stack = await startStack();
    ({ channel } = await publishFlow(stack, await adminToken(stack), flowOf([
      msg('hello', 'Hi ${visitorName}, welcome to ${channel}!', 'order'),
      { id: 'order', type: 'form', config: { prompt: 'Your order number, ${visitorName}?', formType: 'text', variable: 'order' }, edges: [{ on: 'next', to: 'echo' }] },
      msg('echo', 'Thanks ${visitorName}, looking up ${order}. ${note}Done.', 'more'),
      msg('more', 'A second message in a row.', 'bye'),
      end('bye', 'Goodbye ${visitorName}, order ${order}.'),
    ], {}, ['note']))); // `note` is declared but never set: it reads as empty
  });
  afterAll(async () => { await stack?.stop(); });

  it('interpolates the visitor name, the channel and form answers', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    expect((await visitor.waitForBody('text')).text).toBe(`Hi Ada, welcome to ${channel}!`);
    expect((await visitor.waitForBody('form')).prompt).toBe('Your order number, Ada?');
    await say(visitor, 'A-17');
    await visitor.waitForBody('end');
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      `text: Hi Ada, welcome to ${channel}!`,
      'form: Your order number, Ada?',
      'text: A-17',
      'text: Thanks Ada, looking up A-17. Done.',
      'text: A second message in a row.',
      'end(flow): Goodbye Ada, order A-17.',
    ]);
    visitor.close();
  });

  it('keeps each visitor\'s answers to their own conversation', async () => {
    const [a, b] = await Promise.all([visitorOn(stack, channel, 'Ann'), visitorOn(stack, channel, 'Bo')]);
    await Promise.all([a.waitForBody('form'), b.waitForBody('form')]);
    await Promise.all([say(a, 'AAA'), say(b, 'BBB')]);
    expect((await a.waitForBody('end')).text).toBe('Goodbye Ann, order AAA.');
    expect((await b.waitForBody('end')).text).toBe('Goodbye Bo, order BBB.');
    a.close();
    b.close();
  });
});
