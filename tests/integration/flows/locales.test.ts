import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../../../db/schema.js';
import type { ConversationSummary } from '../../../domain/conversation.js';
import { http, visitorClient, type VisitorClient } from '../../helpers/clients.js';
import { queueWhenNobodyOnline, startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, lines, publishFlow, say, transcript, unstaffedTeam, type NodeInput } from './helpers.js';

/**
 * Issue 19: the conversation carries the visitor's locale (from the start request, else Accept-Language) and
 * every text it sends, the flow's and its own (queue, closing, rating), is said in it. Real Temporal and
 * PostgreSQL; the flows are published through the admin API.
 */
describe('flow texts per locale', () => {
  let stack: Stack;
  let token: string;
  /** A greeting with variants, then a hand-off to a team nobody staffs (the visitor waits, told the position). */
  let localized: string;
  /** The same with plain strings only, as every flow before issue 19. */
  let plain: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
    const team = await unstaffedTeam(stack, token, 'nobody-home');
    const greet = (text: unknown): NodeInput => ({ id: 'hi', type: 'message', config: { text }, edges: [{ on: 'next', to: 'handoff' }] } as NodeInput);
    ({ channel: localized } = await publishFlow(stack, token, queueWhenNobodyOnline({
      start: 'hi', nodes: [greet({ en: 'Hello ${visitorName}!', 'zh-CN': '${visitorName}，您好！' }), { id: 'handoff', type: 'handoff', config: { teamId: team } }],
      settings: { rating: { enabled: true, validitySec: 600, agentServedOnly: false } },
    })));
    ({ channel: plain } = await publishFlow(stack, token, queueWhenNobodyOnline({
      start: 'hi', nodes: [greet('Hello ${visitorName}!'), { id: 'handoff', type: 'handoff', config: { teamId: team, connecting: 'Wait, please.', connected: 'With ${agentName}.', failed: 'Nobody.' } }],
      settings: { closeText: 'Closed.', queueText: 'Place ${QueuePosition}.', rating: { enabled: true, validitySec: 600, text: 'Rate?', thanksText: 'Thanks.', agentServedOnly: false } },
    })));
  });
  afterAll(async () => { await stack?.stop(); });

  /** Waits in the queue, leaves, rates 5: what the visitor read, oldest first. */
  async function waitLeaveAndRate(visitor: VisitorClient): Promise<string[]> {
    await visitor.waitForBody('queue');
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:close', {})).toEqual({ ok: true });
    await visitor.waitForBody('rating-invite');
    expect(await visitor.rate(5)).toMatchObject({ ok: true });
    await visitor.waitForBody('rating-result');
    return lines(await transcript(stack, visitor.conversation.id));
  }

  const storedLocale = async (id: string) =>
    (await stack.database.db.select({ locale: conversations.locale }).from(conversations).where(eq(conversations.id, id)))[0]?.locale;

  it('a zh-CN visitor reads the node texts and the queue, closing and rating texts in Chinese', async () => {
    const visitor = await visitorClient(stack.baseUrl, 'Ada', { channel: localized, locale: 'zh-CN' });
    expect(await waitLeaveAndRate(visitor)).toEqual([
      'text: Ada，您好！',
      'notice: 正在为您转接人工客服…',
      'queue: 您目前排在第 1 位（前面还有 0 人）。',
      'end(visitor): 会话已结束，感谢您的咨询。',
      'rating-invite: 请问您对我们的服务满意吗？',
      'rating-result: 5',
    ]);
    expect(await visitor.waitForBody('rating-result')).toMatchObject({ text: '感谢您的评价！' });
    expect(await storedLocale(visitor.conversation.id)).toBe('zh-CN');
    visitor.close();
  });

  it("an English visitor reads today's English", async () => {
    const visitor = await visitorClient(stack.baseUrl, 'Bo', { channel: localized, locale: 'en' });
    expect(await waitLeaveAndRate(visitor)).toEqual([
      'text: Hello Bo!',
      'notice: Connecting you to an agent…',
      'queue: You are number 1 in the queue (0 ahead of you).',
      'end(visitor): The conversation has ended. Thank you for contacting us.',
      'rating-invite: How would you rate our service?',
      'rating-result: 5',
    ]);
    expect(await visitor.waitForBody('rating-result')).toMatchObject({ text: 'Thank you for your feedback!' });
    visitor.close();
  });

  it('a flow with only plain strings says exactly what it said before, whatever the locale', async () => {
    const said: string[][] = [];
    for (const locale of ['zh-CN', 'en'] as const) {
      const visitor = await visitorClient(stack.baseUrl, 'Cy', { channel: plain, locale });
      said.push(await waitLeaveAndRate(visitor));
      expect(await visitor.waitForBody('rating-result')).toMatchObject({ text: 'Thanks.' });
      visitor.close();
    }
    expect(said[0]).toEqual(['text: Hello Cy!', 'notice: Wait, please.', 'queue: Place 1.', 'end(visitor): Closed.', 'rating-invite: Rate?', 'rating-result: 5']);
    expect(said[1]).toEqual(said[0]);
  });

  it('without a locale in the request, takes the best match of Accept-Language', async () => {
    const session = await http<{ token: string }>(stack.baseUrl, 'POST', '/api/visitor/session', { body: { displayName: 'Di' } });
    const res = await fetch(`${stack.baseUrl}/api/visitor/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.body.token}`, 'content-type': 'application/json', 'accept-language': 'fr-FR, zh-TW;q=0.8, en;q=0.5' },
      body: JSON.stringify({ channel: localized }),
    });
    expect(res.status).toBe(200);
    const started = await res.json() as ConversationSummary;
    expect(await storedLocale(started.id)).toBe('zh-CN');
    await expect.poll(async () => lines(await transcript(stack, started.id))[0], { timeout: 15_000 }).toBe('text: Di，您好！');
    // Neither a locale nor a language Parley speaks: the flow's default (English).
    const other = await http<{ token: string }>(stack.baseUrl, 'POST', '/api/visitor/session', { body: { displayName: 'Ed' } });
    const res2 = await fetch(`${stack.baseUrl}/api/visitor/conversations`, {
      method: 'POST', headers: { authorization: `Bearer ${other.body.token}`, 'content-type': 'application/json', 'accept-language': 'de' }, body: JSON.stringify({ channel: localized }),
    });
    const started2 = await res2.json() as ConversationSummary;
    expect(await storedLocale(started2.id)).toBeNull();
    await expect.poll(async () => lines(await transcript(stack, started2.id))[0], { timeout: 15_000 }).toBe('text: Hello Ed!');
  });

  it('refuses an unsupported locale with a 400 that names the supported ones, and starts nothing', async () => {
    const session = await http<{ token: string; visitorId: string }>(stack.baseUrl, 'POST', '/api/visitor/session', { body: { displayName: 'Flo' } });
    for (const locale of ['fr', 'zh', 'zh-cn', '', 42]) {
      const res = await http<{ error: { code: string; field?: string; message: string } }>(stack.baseUrl, 'POST', '/api/visitor/conversations', {
        token: session.body.token, body: { channel: localized, locale },
      });
      expect({ locale, status: res.status }).toEqual({ locale, status: 400 });
      expect(res.body.error).toMatchObject({ field: 'locale', message: expect.stringContaining('locale must be one of en, zh-CN') });
    }
    expect(await stack.database.db.select().from(conversations).where(eq(conversations.visitorId, session.body.visitorId))).toEqual([]);
  });

  it('a visitor who switches language hears the later texts in the new one; an unsupported locale is refused', async () => {
    const visitor = await visitorClient(stack.baseUrl, 'Hu', { channel: localized, locale: 'en' });
    await visitor.waitForBody('queue');
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:locale', { locale: 'fr' as never })).toMatchObject({
      ok: false, error: { code: 'bad_request', message: expect.stringContaining('locale must be one of en, zh-CN') },
    });
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:locale', { locale: 'zh-CN' })).toEqual({ ok: true, locale: 'zh-CN' });
    expect(await storedLocale(visitor.conversation.id)).toBe('zh-CN');
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:close', {})).toEqual({ ok: true });
    await visitor.waitForBody('rating-invite');
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      'text: Hello Hu!',
      'notice: Connecting you to an agent…',
      expect.stringMatching(/^queue: You are number \d+ in the queue \(\d+ ahead of you\)\.$/), // others may still wait
      'end(visitor): 会话已结束，感谢您的咨询。',
      'rating-invite: 请问您对我们的服务满意吗？',
    ]);
    // Closed: nothing left to say in another language.
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:locale', { locale: 'en' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    visitor.close();
  });

  it('the seeded default flow speaks Chinese to a zh-CN visitor throughout', async () => {
    const visitor = await visitorClient(stack.baseUrl, 'Gu', { locale: 'zh-CN' });
    expect((await visitor.waitForBody('text')).text).toBe('Gu，您好，欢迎！很高兴收到您的咨询。');
    const menu = await visitor.waitForBody('menu');
    expect(menu.items.map((i) => i.content)).toEqual(['联系人工客服', '服务时间', '留言']);
    await say(visitor, '服务时间'); // chosen by its Chinese text
    await visitor.waitForBody('text', (t) => t.text.startsWith('我们的客服在工作时间内在线答复'));
    await say(visitor, '随便');
    expect((await visitor.waitForBody('notice')).text).toBe('抱歉，我没有理解您的意思。请从下面的选项中选择一项。');
    visitor.close();
  });
});
