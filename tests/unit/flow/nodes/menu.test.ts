import { describe, expect, it } from 'vitest';
import { Chat, end, endEffect, flowOf, say, type NodeInput } from '../helpers.js';

const MENU = '[menu] Hi ${visitorName}, what do you need? | Billing / Technical support / Sales | Pick one';
const MENU_FOR_ANN = MENU.replace('${visitorName}', 'Ann');

function menu(overrides: { maxRetries?: number; fallback?: boolean; retryMessage?: string } = {}): NodeInput {
  return {
    id: 'main',
    type: 'menu',
    config: {
      header: 'Hi ${visitorName}, what do you need?',
      items: [
        { id: 'billing', content: 'Billing' },
        { id: 'tech', content: 'Technical support' },
        { id: 'sales', content: 'Sales' },
      ],
      tail: 'Pick one',
      ...(overrides.retryMessage === undefined ? {} : { retryMessage: overrides.retryMessage }),
      ...(overrides.maxRetries === undefined ? {} : { maxRetries: overrides.maxRetries }),
    },
    edges: [
      { on: 'billing', to: 'billing-msg' },
      { on: 'tech', to: 'tech-msg' },
      ...(overrides.fallback === false ? [] : [{ on: 'fallback', to: 'fallback-msg' }]),
    ],
  };
}

const basicFlow = (overrides: Parameters<typeof menu>[0] = {}) =>
  flowOf([
    menu(overrides),
    say('billing-msg', 'Billing it is.', 'bye'),
    say('tech-msg', 'Let us fix it.', 'bye'),
    say('fallback-msg', 'Let me find someone for you.', 'bye'),
    end('bye', 'Bye ${visitorName}'),
  ], { variables: [] });

describe('menu node', () => {
  it('shows the menu with interpolated header and waits for the visitor', () => {
    const chat = new Chat(basicFlow());
    expect(chat.lines).toEqual([MENU_FOR_ANN]);
    expect(chat.wait).toBe('input');
    expect(chat.at).toBe('main');
  });

  it('follows the item clicked by id', () => {
    const chat = new Chat(basicFlow());
    chat.send('whatever the client shows', 'tech');
    expect(chat.lines).toEqual(['Let us fix it.']);
    expect(endEffect(chat.result)?.text).toBe('Bye Ann');
    expect(chat.wait).toBe('end');
  });

  it('follows the item whose text the visitor typed exactly (surrounding spaces ignored)', () => {
    const chat = new Chat(basicFlow());
    chat.send('  Billing  ');
    expect(chat.lines).toEqual(['Billing it is.']);
  });

  it('treats text matching as case-sensitive', () => {
    const chat = new Chat(basicFlow());
    chat.send('billing');
    expect(chat.lines).toEqual(['[notice] Please choose one of the options.', MENU_FOR_ANN]);
  });

  it('follows the item by its 1-based number', () => {
    const chat = new Chat(basicFlow());
    chat.send('2');
    expect(chat.lines).toEqual(['Let us fix it.']);
  });

  it('ignores an unknown choiceId and falls back to the typed text', () => {
    const chat = new Chat(basicFlow());
    chat.send('1', 'no-such-item');
    expect(chat.lines).toEqual(['Billing it is.']);
  });

  it('rejects out-of-range numbers', () => {
    const chat = new Chat(basicFlow());
    chat.send('0');
    expect(chat.lines[0]).toBe('[notice] Please choose one of the options.');
    chat.send('4');
    expect(chat.lines[0]).toBe('[notice] Please choose one of the options.');
  });

  it('re-sends the menu with the retry message up to maxRetries, then follows fallback', () => {
    const chat = new Chat(basicFlow({ maxRetries: 2, retryMessage: 'Sorry ${visitorName}, pick a number.' }));
    chat.send('hello?');
    expect(chat.lines).toEqual(['[notice] Sorry Ann, pick a number.', MENU_FOR_ANN]);
    chat.send('I want a human');
    expect(chat.lines).toEqual(['[notice] Sorry Ann, pick a number.', MENU_FOR_ANN]);
    chat.send('HUMAN!!!');
    expect(chat.lines).toEqual(['Let me find someone for you.']);
    expect(chat.wait).toBe('end');
  });

  it('resets the retry count once the visitor gets it right', () => {
    const flow = flowOf([
      { ...menu({ maxRetries: 1 }), edges: [{ on: 'billing', to: 'again' }, { on: 'fallback', to: 'fallback-msg' }] },
      say('again', 'Again:', 'main'),
      say('fallback-msg', 'Giving up.'),
    ]);
    const chat = new Chat(flow);
    chat.send('nope'); // 1 retry used
    chat.send('Billing'); // back to the same menu through another node
    expect(chat.lines).toEqual(['Again:', MENU_FOR_ANN]);
    chat.send('nope');
    expect(chat.lines[0]).toBe('[notice] Please choose one of the options.');
  });

  it('goes straight to fallback when maxRetries is 0', () => {
    const chat = new Chat(basicFlow({ maxRetries: 0 }));
    chat.send('???');
    expect(chat.lines).toEqual(['Let me find someone for you.']);
  });

  it('ends the flow after the retry limit when there is no fallback edge', () => {
    const chat = new Chat(basicFlow({ maxRetries: 0, fallback: false }));
    chat.send('???');
    expect(chat.lines).toEqual([]);
    expect(endEffect(chat.result)).toMatchObject({ nodeId: 'main', text: null, rating: true });
    expect(chat.at).toBeNull();
  });

  it('ends the flow when the chosen item has no edge', () => {
    const chat = new Chat(basicFlow());
    chat.send('Sales');
    expect(chat.wait).toBe('end');
    expect(endEffect(chat.result)?.nodeId).toBe('main');
  });

  describe('back item', () => {
    const nested = flowOf([
      {
        id: 'main',
        type: 'menu',
        config: { header: 'Main', items: [{ id: 'more', content: 'More options' }, { id: 'info', content: 'Info' }] },
        edges: [{ on: 'more', to: 'sub' }, { on: 'info', to: 'info-msg' }],
      },
      say('info-msg', 'Here is some info.', 'main'),
      {
        id: 'sub',
        type: 'menu',
        config: { header: 'More', items: [{ id: 'deep', content: 'Deeper' }, { id: 'back', content: 'Back', back: true }] },
        edges: [{ on: 'deep', to: 'deeper' }],
      },
      {
        id: 'deeper',
        type: 'menu',
        config: { header: 'Deeper', items: [{ id: 'up', content: 'Go back', back: true }] },
      },
    ]);

    it('returns to the previous menu and shows it again', () => {
      const chat = new Chat(nested);
      chat.send('More options');
      expect(chat.lines).toEqual(['[menu] More | Deeper / Back']);
      chat.send('Back');
      expect(chat.lines).toEqual(['[menu] Main | More options / Info']);
      expect(chat.at).toBe('main');
      chat.send('Info');
      expect(chat.lines).toEqual(['Here is some info.', '[menu] Main | More options / Info']);
    });

    it('walks back one level at a time', () => {
      const chat = new Chat(nested);
      chat.send('1');
      chat.send('1');
      expect(chat.lines).toEqual(['[menu] Deeper | Go back']);
      chat.send('Go back');
      expect(chat.lines).toEqual(['[menu] More | Deeper / Back']);
      chat.send('2');
      expect(chat.lines).toEqual(['[menu] Main | More options / Info']);
    });

    it('still returns to the main menu after the visitor looped through it many times', () => {
      const chat = new Chat(nested);
      for (let i = 0; i < 5; i++) chat.send('Info');
      chat.send('More options');
      chat.send('Back');
      expect(chat.lines).toEqual(['[menu] Main | More options / Info']);
      expect(chat.result.state.menuStack).toEqual(['main']);
    });

    it('shows the same menu again when there is no previous menu', () => {
      const flow = flowOf([{ id: 'only', type: 'menu', config: { header: 'Only', items: [{ id: 'b', content: 'Back', back: true }] } }]);
      const chat = new Chat(flow);
      chat.send('Back');
      expect(chat.lines).toEqual(['[menu] Only | Back']);
      expect(chat.wait).toBe('input');
    });

    it('follows a wired back item when there is no previous menu', () => {
      const flow = flowOf([
        { id: 'only', type: 'menu', config: { header: 'Only', items: [{ id: 'b', content: 'Back', back: true }] }, edges: [{ on: 'b', to: 'home' }] },
        say('home', 'Back home.'),
      ]);
      const chat = new Chat(flow);
      chat.send('Back');
      expect(chat.lines).toEqual(['Back home.']);
    });
  });
});
