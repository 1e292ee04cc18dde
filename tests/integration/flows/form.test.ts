import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, lines, nth, publishFlow, say, transcript, visitorOn } from './helpers.js';

/** Form nodes: answers are checked against the rules, refused answers get the rule's message, too many go to the fallback. */
describe('form node', () => {
  let stack: Stack;
  let channel: string;

  beforeAll(async () => {
    stack = await startStack();
    ({ channel } = await publishFlow(stack, await adminToken(stack), flowOf([
      {
        id: 'email', type: 'form',
        config: {
          prompt: 'Your email, ${visitorName}?', formType: 'text', variable: 'email', maxRetries: 2,
          rules: [{ type: 'maxLength', max: 30, message: 'Keep it under 30 characters.' }, { type: 'email', message: '"That is not an email address, ${visitorName}."' }],
        },
        edges: [{ on: 'next', to: 'qty' }, { on: 'fallback', to: 'gave-up' }],
      },
      {
        id: 'qty', type: 'form',
        config: { prompt: 'How many?', formType: 'text', variable: 'qty', rules: [{ type: 'range', min: 1, max: 9, message: 'A number from 1 to 9.' }] },
        edges: [{ on: 'next', to: 'contact' }],
      },
      {
        id: 'contact', type: 'form',
        config: { prompt: 'How should we contact you?', formType: 'options', options: ['Email', 'Phone'], variable: 'contact', retryMessage: 'Choose Email or Phone.', maxRetries: 1 },
        edges: [{ on: 'next', to: 'done' }, { on: 'fallback', to: 'gave-up' }],
      },
      end('done', 'We will send ${qty} to ${email} and reach you by ${contact}.'),
      end('gave-up', 'We could not take your details. Goodbye.'),
    ])));
  });
  afterAll(async () => { await stack?.stop(); });

  it('sends text and options forms and stores valid answers after refusing invalid ones', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    expect(await visitor.waitForBody('form')).toEqual({ kind: 'form', nodeId: 'email', prompt: 'Your email, Ada?', formType: 'text' });
    await say(visitor, 'not-an-email');
    expect((await visitor.waitForBody('notice')).text).toBe('"That is not an email address, Ada."');
    await say(visitor, 'a-very-long-address-indeed@example.com');
    expect((await nth(visitor, 'notice', 2)).text).toBe('Keep it under 30 characters.');
    await say(visitor, '  ada@example.com  '); // trimmed, third try is still within maxRetries 2
    await visitor.waitForBody('form', (f) => f.nodeId === 'qty');
    await say(visitor, '12');
    expect((await nth(visitor, 'notice', 3)).text).toBe('A number from 1 to 9.');
    await say(visitor, '3');
    expect(await visitor.waitForBody('form', (f) => f.nodeId === 'contact')).toMatchObject({ formType: 'options', options: ['Email', 'Phone'] });
    await say(visitor, 'Fax');
    expect((await nth(visitor, 'notice', 4)).text).toBe('Choose Email or Phone.');
    await say(visitor, '2'); // option by number
    expect(await visitor.waitForBody('end')).toMatchObject({ text: 'We will send 3 to ada@example.com and reach you by Phone.', closedBy: 'flow' });

    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      'form: Your email, Ada?', 'text: not-an-email',
      'notice: "That is not an email address, Ada."', 'form: Your email, Ada?', 'text: a-very-long-address-indeed@example.com',
      'notice: Keep it under 30 characters.', 'form: Your email, Ada?', 'text: ada@example.com',
      'form: How many?', 'text: 12',
      'notice: A number from 1 to 9.', 'form: How many?', 'text: 3',
      'form: How should we contact you?', 'text: Fax',
      'notice: Choose Email or Phone.', 'form: How should we contact you?', 'text: 2',
      'end(flow): We will send 3 to ada@example.com and reach you by Phone.',
    ]);
    visitor.close();
  });

  it('accepts a clicked option', async () => {
    const visitor = await visitorOn(stack, channel, 'Bo');
    await visitor.waitForBody('form');
    await say(visitor, 'bo@example.com');
    await visitor.waitForBody('form', (f) => f.nodeId === 'qty');
    await say(visitor, '1');
    await visitor.waitForBody('form', (f) => f.nodeId === 'contact');
    await say(visitor, 'Email', '0');
    expect((await visitor.waitForBody('end')).text).toBe('We will send 1 to bo@example.com and reach you by Email.');
    visitor.close();
  });

  it('takes the fallback after the retry limit, with no further prompt', async () => {
    const visitor = await visitorOn(stack, channel, 'Cy');
    await visitor.waitForBody('form');
    for (const [i, wrong] of ['x', 'y'].entries()) {
      await say(visitor, wrong);
      await nth(visitor, 'notice', i + 1);
    }
    await say(visitor, 'z'); // third refusal with maxRetries 2
    expect(await visitor.waitForBody('end')).toMatchObject({ text: 'We could not take your details. Goodbye.', closedBy: 'flow' });
    const seen = lines(await transcript(stack, visitor.conversation.id));
    expect(seen.filter((l) => l.startsWith('form:'))).toHaveLength(3);
    expect(seen.filter((l) => l.startsWith('notice:'))).toHaveLength(2);
    expect(seen.at(-2)).toBe('text: z');
    visitor.close();
  });
});
