import { describe, expect, it } from 'vitest';
import { OFFER_SUMMARY_LIMITS, summarizeTranscript } from '../../../domain/offer-summary.js';
import type { MessageBody } from '../../../domain/messages.js';

type E = { sender: 'visitor' | 'agent' | 'bot' | 'system'; body: MessageBody; createdAt?: string };
const bot = (body: MessageBody): E => ({ sender: 'bot', body });
const visitor = (text: string, createdAt?: string): E => ({ sender: 'visitor', body: { kind: 'text', text }, createdAt });
const menu: MessageBody = { kind: 'menu', nodeId: 'm', header: 'Pick', items: [{ id: 'a', content: 'A' }] };
const form: MessageBody = { kind: 'form', nodeId: 'f', prompt: 'Order number?', formType: 'text' };

describe('offer summary from the transcript', () => {
  it('menu choices, form answers and the first free message, in order; the wait from the desk when known', () => {
    const s = summarizeTranscript([
      bot({ kind: 'text', text: 'Hi' }), bot(menu), visitor('Orders'), bot(menu), visitor('Late'), bot(form), visitor('A-1'),
      bot({ kind: 'text', text: 'Connecting…' }), visitor('  Hello\n  there '), visitor('Second'),
    ], { waitingSince: '2026-01-01T00:00:00.000Z', vip: true });
    expect(s).toEqual({
      menuPath: ['Orders', 'Late'], formAnswers: [{ prompt: 'Order number?', answer: 'A-1' }], firstMessage: 'Hello there',
      waitingSince: '2026-01-01T00:00:00.000Z', vip: true,
    });
  });

  it('without a queue time, the wait counts from the last answer to the bot, else from the start', () => {
    expect(summarizeTranscript([bot(menu), visitor('A', '2026-01-01T00:00:05.000Z'), visitor('hi', '2026-01-01T00:00:09.000Z')],
      { waitingSince: null, vip: false, startedAt: '2026-01-01T00:00:00.000Z' }).waitingSince).toBe('2026-01-01T00:00:05.000Z');
    expect(summarizeTranscript([], { waitingSince: null, vip: false, startedAt: '2026-01-01T00:00:00.000Z' }).waitingSince).toBe('2026-01-01T00:00:00.000Z');
  });

  it('is bounded whatever the visitor typed', () => {
    const long = 'x'.repeat(5000);
    const entries = Array.from({ length: 20 }, () => [bot(menu), visitor(long)]).flat();
    const s = summarizeTranscript([visitor(long), ...entries], { waitingSince: null, vip: false });
    expect(s.menuPath).toHaveLength(OFFER_SUMMARY_LIMITS.menuChoices);
    expect(s.menuPath[0].length).toBe(OFFER_SUMMARY_LIMITS.textChars);
    expect(s.firstMessage!.length).toBe(OFFER_SUMMARY_LIMITS.firstMessageChars);
    expect(JSON.stringify(s).length).toBeLessThan(4000);
  });
});
