import '../../../../domain/flow/load-re2.js'; // the engine's patterns need RE2 (workflows load it lazily)
import { describe, expect, it } from 'vitest';
import type { ValidationRule } from '../../../../domain/flow/schema.js';
import { Chat, endEffect, flowOf, say } from '../helpers.js';

function textForm(rules: ValidationRule[], opts: { maxRetries?: number; fallback?: boolean } = {}) {
  return flowOf([
    {
      id: 'ask',
      type: 'form',
      config: { prompt: 'Your answer, ${visitorName}?', formType: 'text', variable: 'answer', rules, ...(opts.maxRetries === undefined ? {} : { maxRetries: opts.maxRetries }) },
      edges: [{ on: 'next', to: 'thanks' }, ...(opts.fallback === false ? [] : [{ on: 'fallback', to: 'gave-up' }])],
    },
    say('thanks', 'Got "${answer}".'),
    say('gave-up', 'Never mind.'),
  ]);
}

/** Sends one answer to a fresh form and returns what the visitor reads. */
function answer(rules: ValidationRule[], text: string): string[] {
  const chat = new Chat(textForm(rules));
  chat.send(text);
  return chat.lines;
}

const PROMPT = '[form] Your answer, Ann?';
const refused = (message: string) => [`[notice] ${message}`, PROMPT];

describe('text form', () => {
  it('asks its interpolated prompt and waits', () => {
    const chat = new Chat(textForm([]));
    expect(chat.lines).toEqual([PROMPT]);
    expect(chat.result.effects).toContainEqual({ type: 'say', body: { kind: 'form', nodeId: 'ask', prompt: 'Your answer, Ann?', formType: 'text' } });
    expect(chat.wait).toBe('input');
  });

  it('stores the trimmed answer in its variable and moves on', () => {
    const chat = new Chat(textForm([]));
    chat.send('  hello there ');
    expect(chat.lines).toEqual(['Got "hello there".']);
    expect(chat.vars.answer).toBe('hello there');
  });

  describe('required', () => {
    const rules: ValidationRule[] = [{ type: 'required', message: 'Please answer.' }];
    it('refuses a blank answer', () => expect(answer(rules, '   ')).toEqual(refused('Please answer.')));
    it('accepts any answer', () => expect(answer(rules, 'x')).toEqual(['Got "x".']));
  });

  describe('regex', () => {
    const rules: ValidationRule[] = [{ type: 'regex', pattern: '^[A-Z]{3}-\\d+$', message: 'Order numbers look like ABC-123.' }];
    it('accepts a matching answer', () => expect(answer(rules, 'ORD-42')).toEqual(['Got "ORD-42".']));
    it('refuses a non-matching answer', () => expect(answer(rules, 'ord-42')).toEqual(refused('Order numbers look like ABC-123.')));
    it('refuses everything when the pattern is broken, without crashing', () => {
      expect(answer([{ type: 'regex', pattern: '([a-z', message: 'Bad pattern.' }], 'abc')).toEqual(refused('Bad pattern.'));
    });
  });

  describe('email', () => {
    const rules: ValidationRule[] = [{ type: 'email', message: 'Invalid email.' }];
    it.each(['ann@example.com', 'a.b+tag@mail.example.co.uk'])('accepts %s', (email) => expect(answer(rules, email)).toEqual([`Got "${email}".`]));
    it.each(['ann', 'ann@', '@example.com', 'ann@example', 'ann@@example.com', 'ann smith@example.com', 'ann@example..com'])('refuses %s', (email) =>
      expect(answer(rules, email)).toEqual(refused('Invalid email.')),
    );
  });

  describe('phone', () => {
    const rules: ValidationRule[] = [{ type: 'phone', message: 'Invalid phone.' }];
    it.each(['+1 (555) 123-4567', '123456', '0086-10-1234 5678', '12345678901234567890'])('accepts %s', (phone) =>
      expect(answer(rules, phone)).toEqual([`Got "${phone}".`]),
    );
    it.each(['12345', '555-CALL-NOW', '123456789012345678901', '+1 555 123 4567 ext. 2', '12.34.56.78'])('refuses %s', (phone) =>
      expect(answer(rules, phone)).toEqual(refused('Invalid phone.')),
    );
  });

  describe('range', () => {
    const rules: ValidationRule[] = [{ type: 'range', min: 1, max: 10, message: 'Between 1 and 10, please.' }];
    it.each(['1', '5', '10', '7.5', ' 3 '])('accepts %s', (n) => expect(answer(rules, n)).toEqual([`Got "${n.trim()}".`]));
    it.each(['0', '11', '-3', 'five', '5 apples', 'Infinity'])('refuses %s', (n) => expect(answer(rules, n)).toEqual(refused('Between 1 and 10, please.')));
    it('supports open-ended ranges', () => {
      expect(answer([{ type: 'range', min: 18, message: 'Adults only.' }], '99')).toEqual(['Got "99".']);
      expect(answer([{ type: 'range', min: 18, message: 'Adults only.' }], '17')).toEqual(refused('Adults only.'));
      expect(answer([{ type: 'range', max: 3, message: 'At most 3.' }], '-100')).toEqual(['Got "-100".']);
    });
  });

  describe('maxLength', () => {
    const rules: ValidationRule[] = [{ type: 'maxLength', max: 5, message: 'Too long.' }];
    it('accepts up to the limit', () => expect(answer(rules, 'hello')).toEqual(['Got "hello".']));
    it('refuses longer answers', () => expect(answer(rules, 'hello!')).toEqual(refused('Too long.')));
    it('counts characters the way the visitor sees them', () => expect(answer(rules, '😀😀😀😀😀')).toEqual(['Got "😀😀😀😀😀".']));
  });

  it('checks rules in order and reports the first one broken', () => {
    const rules: ValidationRule[] = [
      { type: 'required', message: 'We need your email.' },
      { type: 'email', message: 'That is not an email.' },
      { type: 'maxLength', max: 12, message: 'Too long.' },
    ];
    expect(answer(rules, ' ')).toEqual(refused('We need your email.'));
    expect(answer(rules, 'nope')).toEqual(refused('That is not an email.'));
    expect(answer(rules, 'someone@example.com')).toEqual(refused('Too long.'));
    expect(answer(rules, 'a@example.io')).toEqual(['Got "a@example.io".']);
  });

  it('lets an optional field stay empty while checking the format of a given answer', () => {
    const rules: ValidationRule[] = [{ type: 'email', message: 'That is not an email.' }];
    expect(answer(rules, '  ')).toEqual(['Got "".']);
  });

  it('re-prompts up to maxRetries, then follows fallback', () => {
    const chat = new Chat(textForm([{ type: 'email', message: 'Invalid email.' }], { maxRetries: 2 }));
    expect(chat.send('a').wait).toBe('input');
    expect(chat.lines).toEqual(refused('Invalid email.'));
    chat.send('b');
    expect(chat.lines).toEqual(refused('Invalid email.'));
    chat.send('c');
    expect(chat.lines).toEqual(['Never mind.']);
    expect(chat.vars.answer).toBeUndefined();
  });

  it('accepts a valid answer after some invalid ones', () => {
    const chat = new Chat(textForm([{ type: 'email', message: 'Invalid email.' }], { maxRetries: 2 }));
    chat.send('a');
    chat.send('b');
    chat.send('ann@example.com');
    expect(chat.lines).toEqual(['Got "ann@example.com".']);
  });

  it('ends the flow after the retry limit without a fallback edge', () => {
    const chat = new Chat(textForm([{ type: 'required', message: 'Required.' }], { maxRetries: 0, fallback: false }));
    chat.send(' ');
    expect(chat.lines).toEqual([]);
    expect(endEffect(chat.result)?.nodeId).toBe('ask');
    expect(chat.wait).toBe('end');
  });
});

describe('options form', () => {
  const flow = (opts: { retryMessage?: string; maxRetries?: number } = {}) =>
    flowOf([
      {
        id: 'fruit',
        type: 'form',
        config: { prompt: 'What do you like to eat?', formType: 'options', options: ['Apple', 'Watermelon', 'Strawberry'], variable: 'fruit', ...opts },
        edges: [{ on: 'next', to: 'ok' }, { on: 'fallback', to: 'gave-up' }],
      },
      say('ok', 'One ${fruit} coming up.'),
      say('gave-up', 'Let us skip that.'),
    ]);

  it('shows the options', () => {
    const chat = new Chat(flow());
    expect(chat.result.effects).toContainEqual({
      type: 'say',
      body: { kind: 'form', nodeId: 'fruit', prompt: 'What do you like to eat?', formType: 'options', options: ['Apple', 'Watermelon', 'Strawberry'] },
    });
  });

  it('accepts an option typed exactly', () => {
    const chat = new Chat(flow());
    chat.send('Watermelon ');
    expect(chat.lines).toEqual(['One Watermelon coming up.']);
  });

  it('accepts a click carrying the option index', () => {
    const chat = new Chat(flow());
    chat.send('', '2');
    expect(chat.lines).toEqual(['One Strawberry coming up.']);
  });

  it('accepts the 1-based number of an option', () => {
    const chat = new Chat(flow());
    chat.send('1');
    expect(chat.lines).toEqual(['One Apple coming up.']);
  });

  it('refuses anything else with the retry message and shows the options again', () => {
    const chat = new Chat(flow({ retryMessage: 'Pick a fruit from the list.' }));
    chat.send('Banana');
    expect(chat.lines).toEqual(['[notice] Pick a fruit from the list.', '[form] What do you like to eat? | Apple / Watermelon / Strawberry']);
  });

  it('uses a default retry message', () => {
    const chat = new Chat(flow());
    chat.send('apple');
    expect(chat.lines[0]).toBe('[notice] Please choose one of the options.');
  });

  it('follows fallback after the retry limit', () => {
    const chat = new Chat(flow({ maxRetries: 1 }));
    chat.send('Banana');
    chat.send('Kiwi');
    expect(chat.lines).toEqual(['Let us skip that.']);
  });
});
