import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrechatAnswersSchema, PrechatFormSchema, prechatProblems } from '../../../domain/prechat.js';
import { transcriptText } from '../../../domain/transcript.js';
import type { ChatMessage, MessageBody } from '../../../domain/messages.js';
import { FlowSettingsSchema } from '../../../domain/flow/settings.js';
import { bodiesOf, Driver, inputOf } from '../conversation/driver.js';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';

/** Issue 19, the visitor's chat: the pure parts (pre-chat rules, the transcript's text, the rating rule). */

const FORM = PrechatFormSchema.parse({
  enabled: true,
  name: { show: true, required: true },
  email: { show: true, required: false },
  consent: { show: true, text: 'I agree.' },
  fields: [{ id: 'topic', label: 'Topic', type: 'select', options: ['Billing', 'Delivery'], required: true }, { id: 'order', label: 'Order', type: 'text' }],
});
const answers = (a: object) => PrechatAnswersSchema.parse({ channel: 'web', ...a });

describe('pre-chat form rules', () => {
  it('names every problem, and accepts complete answers', () => {
    expect(prechatProblems(FORM, answers({ email: 'x', fields: { topic: 'Other', nope: '1' } })).map((p) => `${p.field}:${p.code}`))
      .toEqual(['name:required', 'email:email', 'consent:consent', 'fields.nope:unknown', 'fields.topic:option']);
    expect(prechatProblems(FORM, answers({ name: 'Ada', consent: true, fields: { topic: 'Billing' } }))).toEqual([]);
    expect(prechatProblems(FORM, answers({ name: 'Ada', email: 'ada@example.com', consent: true, fields: { topic: 'Billing', order: '42' } }))).toEqual([]);
  });

  it('refuses forms an admin got wrong: consent without text, a choice without options, duplicate or built-in ids', () => {
    const bad = (f: object) => PrechatFormSchema.safeParse(f).success;
    expect(bad({ consent: { show: true, text: '' } })).toBe(false);
    expect(bad({ fields: [{ id: 'a', label: 'A', type: 'select', options: [] }] })).toBe(false);
    expect(bad({ fields: [{ id: 'a', label: 'A', type: 'text' }, { id: 'a', label: 'B', type: 'text' }] })).toBe(false);
    expect(bad({ fields: [{ id: 'email', label: 'Mail', type: 'text' }] })).toBe(false);
    expect(bad({ fields: [{ id: '__proto__', label: 'X', type: 'text' }] })).toBe(false);
    expect(PrechatFormSchema.parse({})).toMatchObject({ enabled: false, name: { show: true, required: true }, fields: [] });
  });

  it('never throws on any answers, and finds no problem only when the required ones are there', () => {
    fc.assert(fc.property(fc.record({
      name: fc.option(fc.string(), { nil: undefined }), email: fc.option(fc.string(), { nil: undefined }), consent: fc.option(fc.boolean(), { nil: undefined }),
      fields: fc.dictionary(fc.constantFrom('topic', 'order', 'x'), fc.string()),
    }), (a) => {
      const problems = prechatProblems(FORM, { channel: 'web', ...a });
      const ok = Boolean(a.name?.trim()) && a.consent === true && ['Billing', 'Delivery'].includes(a.fields.topic?.trim() ?? '') && !('x' in a.fields)
        && (!a.email?.trim() || !problems.some((p) => p.field === 'email'));
      if (ok) expect(problems.filter((p) => p.field !== 'email')).toEqual([]);
      else expect(problems.length).toBeGreaterThan(0);
    }));
  });
});

describe('the transcript as text', () => {
  const msg = (seq: number, sender: ChatMessage['sender'], body: MessageBody, senderName: string | null = null): ChatMessage => ({
    id: `m${seq}`, conversationId: 'c', seq, sender, senderId: null, senderName, body, clientId: null, createdAt: `2026-12-06T10:00:0${seq}.000Z`,
  });

  it('one line per message with its time and author, continuation lines indented, notes and control characters left out', () => {
    const text = transcriptText({ id: 'c', createdAt: '2026-12-06T09:59:00.000Z' }, [
      msg(1, 'bot', { kind: 'menu', nodeId: 'm', header: 'How can we help?', items: [{ id: 'a', content: 'Billing' }] }),
      msg(2, 'visitor', { kind: 'text', text: '<b>late</b>\u001b[31m\u202Eparcel\r\nsecond line' }),
      msg(3, 'agent', { kind: 'note', text: 'private', mentions: [], whisper: false }, 'Alice'),
      msg(4, 'agent', { kind: 'text', text: 'On it.' }, 'Alice'),
      msg(5, 'system', { kind: 'rating-result', text: 'Thanks!', score: 4, scale: 5, label: 'Satisfied', resolved: true, comment: 'Great' }),
    ]);
    expect(text).toBe([
      'Conversation transcript', 'Conversation: c', 'Started: 2026-12-06 09:59:00 UTC', '',
      '[2026-12-06 10:00:01 UTC] Assistant: How can we help?', '    - Billing',
      '[2026-12-06 10:00:02 UTC] You: <b>late</b>[31mparcel', '    second line',
      '[2026-12-06 10:00:04 UTC] Alice: On it.',
      '[2026-12-06 10:00:05 UTC] Support: Thanks!', '    Rated 4 of 5 (Satisfied)', '    Question resolved: yes', '    Great', '',
    ].join('\n'));
  });
});

describe('rating options in the conversation machine', () => {
  const flow = (rating: object, withAgent: boolean): FlowDefinitionInput => ({
    start: 'hi',
    nodes: withAgent
      ? [{ id: 'hi', type: 'handoff', config: { teamId: 'support' } }]
      : [{ id: 'hi', type: 'end', config: { text: 'Bye.' } }],
    settings: { rating: { enabled: true, ...rating } },
  });

  it('the default invites only conversations an agent served', () => {
    const bot = new Driver(inputOf(flow({}, false)));
    expect(bodiesOf(bot.send({ type: 'started' })).map((b) => b.kind)).toEqual(['end']);
    expect(bot.s.status).toBe('ended');

    const served = new Driver(inputOf(flow({ askResolved: true, style: 'numeric', scale: 3, labels: ['Bad', 'OK', 'Good'] }, true)));
    served.send({ type: 'started' });
    served.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
    const invite = bodiesOf(served.send({ type: 'close', by: 'agent' })).find((b) => b.kind === 'rating-invite');
    expect(invite).toMatchObject({ scale: 3, style: 'numeric', labels: ['Bad', 'OK', 'Good'], resolvedText: 'Was your question resolved?', comment: true });
    // past the scale: ignored; within it: stored with its label and answer
    expect(served.send({ type: 'rate', submission: { score: 4, requestId: 'r0', submittedAt: served.now } })).toEqual([]);
    const commands = served.send({ type: 'rate', submission: { score: 2, resolved: false, comment: 'meh', requestId: 'r1', submittedAt: served.now } });
    expect(commands.find((c) => c.type === 'storeRating')).toMatchObject({ score: 2, comment: 'meh', details: { scale: 3, label: 'OK', resolved: false } });
    expect(bodiesOf(commands)).toEqual([{ kind: 'rating-result', text: 'Thank you for your feedback!', score: 2, scale: 3, label: 'OK', resolved: false, comment: 'meh' }]);
  });

  it('a conversation started before the options (its definition has none) runs as before: invited after a bot-only flow, five stars, no details', () => {
    const parsed = inputOf(flow({}, false));
    const rating = parsed.flow.definition.settings.rating as unknown as Record<string, unknown>;
    for (const key of ['style', 'scale', 'labels', 'askResolved', 'resolvedText', 'comment', 'agentServedOnly']) delete rating[key];
    const old = new Driver(parsed);
    const said = bodiesOf(old.send({ type: 'started' }));
    expect(said.map((b) => b.kind)).toEqual(['end', 'rating-invite']);
    expect(said[1]).toEqual({ kind: 'rating-invite', text: 'How would you rate our service?', validUntil: expect.any(String), scale: 5 });
    const commands = old.send({ type: 'rate', submission: { score: 5, comment: 'ok', resolved: true, requestId: 'r', submittedAt: old.now } });
    expect(commands.find((c) => c.type === 'storeRating')).toEqual({ type: 'storeRating', score: 5, comment: 'ok', requestId: 'r', replacePrevious: false });
    expect(bodiesOf(commands)).toEqual([{ kind: 'rating-result', text: 'Thank you for your feedback!', score: 5 }]);
  });

  it('labels must match the scale', () => {
    expect(FlowSettingsSchema.safeParse({ rating: { scale: 3 } }).success).toBe(false);
    expect(FlowSettingsSchema.safeParse({ rating: { scale: 3, labels: [] } }).success).toBe(true);
    expect(FlowSettingsSchema.parse({}).rating).toMatchObject({ style: 'stars', scale: 5, askResolved: false, comment: true, agentServedOnly: true });
  });
});
