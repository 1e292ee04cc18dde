import { describe, expect, it } from 'vitest';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import { fillSlots } from '../../../domain/flow/interpolate.js';
import type { ConversationCommand } from '../../../domain/conversation/events.js';
import { bodiesOf, Driver, inputOf, T0 } from './driver.js';

/** Issue 19: the conversation says its own texts (settings) in the visitor's locale. */
const flow = (settings: FlowDefinitionInput['settings'] = {}, handoff: Record<string, string> = {}): FlowDefinitionInput => ({
  start: 'queue',
  nodes: [{ id: 'queue', type: 'handoff', config: { teamId: 'support', ...handoff }, edges: [] }],
  settings: { visitorReminderSec: 30, visitorTimeoutSec: 60, ...settings },
});

/** Queued, told its position, served, reminded, timed out, rated: every text the machine says, in order. */
function texts(locale: string | undefined, settings: FlowDefinitionInput['settings'] = {}, handoff: Record<string, string> = {}): string[] {
  const d = new Driver({ ...inputOf(flow(settings, handoff)), ...(locale ? { locale } : {}) });
  const enqueue = d.send({ type: 'started' }).find((c): c is Extract<ConversationCommand, { type: 'enqueue' }> => c.type === 'enqueue')!;
  const told = fillSlots(enqueue.queueNotice, { QueuePosition: '2', WaitNo: '1' });
  d.send({ type: 'queuePosition', position: 1, waitNo: 0 });
  d.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
  d.send({ type: 'transferred', agentId: 'bob', agentName: 'Bob', teamId: 'support' });
  d.send({ type: 'requeued', reason: 'transfer' });
  d.send({ type: 'assigned', agentId: 'bob', agentName: 'Bob', teamId: 'support' });
  d.send({ type: 'close', by: 'agent', releasedAtDesk: true });
  d.send({ type: 'rate', submission: { requestId: 'r', score: 5, submittedAt: d.now } });
  return [told, ...bodiesOf(d.commands).map((b) => ('text' in b ? `${b.kind}: ${b.text}` : b.kind))];
}

describe('conversation texts per locale', () => {
  it('a zh-CN visitor reads the settings texts in Chinese', () => {
    expect(texts('zh-CN')).toEqual([
      '您目前排在第 2 位（前面还有 1 人）。',
      'notice: 正在为您转接人工客服…',
      'queue: 您目前排在第 1 位（前面还有 0 人）。',
      'notice: 您正在与 Alice 对话。',
      'transfer: 已为您转接给 Bob。',
      'transfer: 正在为您转接到 其他团队，请稍候，下一位空闲的客服将为您服务。',
      'notice: 您正在与 Bob 对话。',
      'end: 会话已结束，感谢您的咨询。',
      'rating-invite: 请问您对我们的服务满意吗？',
      'rating-result: 感谢您的评价！',
    ]);
  });

  it('an English visitor, and one whose locale is unknown, read today\'s English', () => {
    const english = [
      'You are number 2 in the queue (1 ahead of you).',
      'notice: Connecting you to an agent…',
      'queue: You are number 1 in the queue (0 ahead of you).',
      'notice: You are now chatting with Alice.',
      'transfer: You have been transferred to Bob.',
      'transfer: You are being transferred to another team. Please wait for the next available agent.',
      'notice: You are now chatting with Bob.',
      'end: The conversation has ended. Thank you for contacting us.',
      'rating-invite: How would you rate our service?',
      'rating-result: Thank you for your feedback!',
    ];
    expect(texts('en')).toEqual(english);
    expect(texts(undefined)).toEqual(english);
  });

  it('plain-string settings read the same in every locale (flows published before issue 19)', () => {
    const plain = {
      queueText: 'Pos ${QueuePosition}', closeText: 'Closed.', rating: { text: 'Rate us', thanksText: 'Thanks' }, transferText: 'Now ${agentName}',
      transferToTeamText: 'To ${teamName}', otherTeamName: 'elsewhere',
    };
    const handoff = { connecting: 'Wait.', connected: 'With ${agentName}.', failed: 'Nobody.' };
    expect(texts('zh-CN', plain, handoff)).toEqual(texts('en', plain, handoff));
    expect(texts('zh-CN', plain, handoff)).toEqual([
      'Pos 2', 'notice: Wait.', 'queue: Pos 1', 'notice: With Alice.', 'transfer: Now Bob', 'transfer: To elsewhere', 'notice: With Bob.',
      'end: Closed.', 'rating-invite: Rate us', 'rating-result: Thanks',
    ]);
  });

  it('the no-reply reminder and timeout follow the locale too', () => {
    const d = new Driver({ ...inputOf(flow()), locale: 'zh-CN' }, { chat: (now) => ({ type: 'chatRead', chat: { visitorAt: null, agentAt: T0 }, readAt: now }) });
    d.send({ type: 'started' });
    d.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
    for (let i = 0; i < 10 && d.s.status === 'assigned'; i++) d.fireTimer();
    const said = bodiesOf(d.commands).map((b) => ('text' in b ? `${b.kind}: ${b.text}` : b.kind));
    expect(said).toContain('notice: 您还在吗？');
    expect(said).toContain('timeout: 由于一直没有收到您的回复，本次会话已关闭。');
  });
});
