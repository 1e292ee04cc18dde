import { describe, expect, it } from 'vitest';
import { FlowDefinitionSchema, type FlowDefinition } from '../../../domain/flow/schema.js';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';
import { validateFlow } from '../../../domain/flow/validate.js';
import { Chat, effectOf, endEffect } from './helpers.js';

const MAIN_MENU = '[menu] What can we help you with? | Talk to an agent / Opening hours / Leave a message | Pick an option or type its number.';
const OFFER = '[menu] Would you like to leave a message? We will get back to you by email. | Leave a message / No, thanks';

function defaultFlow(settings: Record<string, unknown> = {}): FlowDefinition {
  return FlowDefinitionSchema.parse({ ...DEFAULT_FLOW, settings: { ...DEFAULT_FLOW.settings, ...settings } });
}

/** A desk that is never open. */
const closed = { workingHours: { timeZone: 'UTC', weekly: [] } };

describe('default flow', () => {
  it('passes validation', () => {
    const result = validateFlow(DEFAULT_FLOW);
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(result.ok && result.flow.settings.workingHours).toBeNull();
  });

  it('welcomes the visitor by name and shows the main menu (always open by default)', () => {
    const chat = new Chat(defaultFlow(), { visitorName: 'Ann' }, new Date('2025-03-09T03:00:00Z')); // a Sunday night
    expect(chat.lines).toEqual(['Hi Ann, welcome! We are glad you reached out.', MAIN_MENU]);
    expect(chat.wait).toBe('input');
  });

  it('answers the opening-hours question and shows the menu again', () => {
    const chat = new Chat(defaultFlow());
    chat.send('Opening hours');
    expect(chat.lines).toEqual([expect.stringContaining('business hours'), MAIN_MENU]);
  });

  it('hands the visitor to any team when they ask for an agent', () => {
    const chat = new Chat(defaultFlow());
    chat.send('', 'agent');
    expect(effectOf(chat.result, 'handoff')).toMatchObject({ teamId: null, connected: 'You are now chatting with ${agentName}.' });
    expect(chat.wait).toBe('handoff');
  });

  it('sends a visitor who keeps typing nonsense to an agent', () => {
    const chat = new Chat(defaultFlow());
    chat.send('asdf');
    expect(chat.lines[0]).toMatch(/^\[notice\] Sorry, I did not get that/);
    chat.send('qwerty');
    chat.send('zxcv');
    expect(chat.wait).toBe('handoff');
  });

  it('offers to leave a message when no agent is available, and takes it', () => {
    const chat = new Chat(defaultFlow());
    chat.send('1');
    chat.handoffFailed();
    expect(chat.lines).toEqual([OFFER]);
    chat.send('Leave a message');
    expect(chat.lines).toEqual(['[form] What email address can we reply to?']);
    chat.send('ann at example');
    expect(chat.lines).toEqual(['[notice] That does not look like an email address, e.g. name@example.com.', '[form] What email address can we reply to?']);
    chat.send('ann@example.com');
    expect(chat.lines).toEqual(['[form] Please write your message.']);
    chat.send('x'.repeat(1001));
    expect(chat.lines[0]).toMatch(/too long/);
    chat.send('My order never arrived.');
    expect(chat.lines).toEqual(['Thank you, Ann! We received your message and will reply to ann@example.com as soon as possible.']);
    expect(endEffect(chat.result)).toMatchObject({ nodeId: 'done', rating: true });
    expect(chat.vars).toMatchObject({ email: 'ann@example.com', note: 'My order never arrived.' });
  });

  it('goes straight to leaving a message from the main menu', () => {
    const chat = new Chat(defaultFlow());
    chat.send('3');
    expect(chat.lines).toEqual(['[form] What email address can we reply to?']);
  });

  it('says goodbye after too many invalid email addresses', () => {
    const chat = new Chat(defaultFlow());
    chat.send('Leave a message');
    chat.send('a');
    chat.send('b');
    chat.send('c');
    expect(endEffect(chat.result)).toMatchObject({ nodeId: 'goodbye', text: 'Thank you for contacting us. Goodbye!' });
  });

  describe('outside working hours', () => {
    it('tells the visitor the team is away and offers to leave a message', () => {
      const chat = new Chat(defaultFlow(closed));
      expect(chat.lines).toEqual(['Hi Ann, welcome! We are glad you reached out.', 'Thanks for contacting us, Ann. Our team is away right now.', OFFER]);
    });

    it('says goodbye when the visitor does not want to leave a message', () => {
      const chat = new Chat(defaultFlow(closed));
      chat.send('No, thanks');
      expect(endEffect(chat.result)).toMatchObject({ nodeId: 'goodbye', text: 'Thank you for contacting us. Goodbye!' });
    });

    it('lets the visitor leave a message', () => {
      const chat = new Chat(defaultFlow(closed));
      chat.send('1');
      expect(chat.lines).toEqual(['[form] What email address can we reply to?']);
    });
  });
});
