import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../client/operations.js';
import { restClient } from '../../client/rest.js';
import type { VisitorContextView, VisitorProfileView } from '../../domain/visitor-context.js';
import { connected, socketClient } from '../../client/socket.js';
import type { ConversationSummary } from '../../domain/conversation.js';
import { emitAck, http, type StaffClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { diff, settled, snapshot } from '../security/lib/db-snapshot.js';
import { idleVisitor, staff } from '../security/lib/principals.js';
import { adminToken, flowOf, publishFlow } from './flows/helpers.js';

const CHROME_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * The visitor in context (issue 18): what the agent's side panel reads and changes. A visitor starts on a
 * flow that asks for an order number and hands off; Alice accepts; the panel's endpoint shows the page,
 * browser, flow variables and journey, and the profile edits are validated, audited and access-checked.
 */
describe('the visitor in context', () => {
  let stack: Stack;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let channel: string;

  beforeAll(async () => {
    stack = await startStack();
    team = await staff(stack.baseUrl);
    ({ channel } = await publishFlow(stack, await adminToken(stack), flowOf([
      { id: 'order', type: 'form', config: { prompt: 'Your order number?', formType: 'text', variable: 'orderNo', rules: [] }, edges: [{ on: 'next', to: 'agent' }] },
      { id: 'agent', type: 'handoff', config: { teamId: null, connecting: 'Connecting…', connected: 'You are now chatting with ${agentName}.', failed: 'Nobody.' }, edges: [] },
    ], {}, ['orderNo'])));
  });
  afterAll(async () => {
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  /** A visitor on the order flow, started from a shop page in Chrome, answered the form and is served by Alice. */
  async function servedVisitor(name: string) {
    const session = await restClient(stack.baseUrl).call(operations.createVisitorSession, { body: { displayName: name } });
    // Started with page info (as web/visitor does); the browser and OS come from the request's User-Agent.
    const started = await fetch(`${stack.baseUrl}/api/visitor/conversations`, {
      method: 'POST', headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', 'user-agent': CHROME_ON_WINDOWS },
      body: JSON.stringify({ channel, page: { url: 'https://shop.example.com/cart?x=1', title: '购物车 – Shop', referrer: 'https://www.baidu.com/', language: 'zh-CN', timezoneOffset: -480, timeZone: 'Asia/Shanghai' } }),
    });
    expect(started.status).toBe(200);
    const conversation = await started.json() as ConversationSummary;
    const socket = await connected(socketClient(stack.baseUrl, session.token, { forceNew: true }));
    await waitUntil(async () => (await stack.database.pool.query(`select count(*)::int n from messages where conversation_id = $1 and body->>'kind' = 'form'`, [conversation.id])).rows[0].n > 0);
    expect(await emitAck(socket, 'visitor:message', { clientId: randomUUID(), text: 'A-1042' })).toMatchObject({ ok: true });
    await team.alice.setStatus('online');
    await team.alice.waitFor<{ conversationId: string }>('offer', (o) => o.conversationId === conversation.id);
    expect((await team.alice.accept(conversation.id)).ok).toBe(true);
    await team.alice.setStatus('away');
    await waitUntil(async () => (await stack.database.pool.query('select status from conversations where id = $1', [conversation.id])).rows[0].status === 'assigned');
    return { token: session.token, visitorId: session.visitorId, conversation, socket, close: () => { socket.close(); } };
  }

  const context = (token: string, conversationId: string) => http<VisitorContextView>(stack.baseUrl, 'GET', `/api/conversations/${conversationId}/visitor-context`, { token });
  const patch = (token: string, visitorId: string, body: unknown) => http<VisitorProfileView & { error?: { message: string; field?: string } }>(stack.baseUrl, 'PATCH', `/api/visitors/${visitorId}/profile`, { token, body });

  it('shows the agent where the chat started, the browser, the flow variables and the pages viewed', async () => {
    const v = await servedVisitor('张伟');
    try {
      for (let i = 1; i <= 3; i++) {
        const res = await http(stack.baseUrl, 'POST', '/api/visitor/page-views', { token: v.token, body: { url: `https://shop.example.com/p/${i}`, title: `Product ${i}`, at: new Date().toISOString() } });
        expect(res.status).toBe(201);
      }
      const changed = team.alice.waitFor<{ visitorId: string; what: string }>('visitor-context:changed', (e) => e.visitorId === v.visitorId && e.what === 'journey');
      await http(stack.baseUrl, 'POST', '/api/visitor/page-views', { token: v.token, body: { url: 'https://shop.example.com/checkout' } });
      await changed;

      const res = await context(team.alice.token, v.conversation.id);
      expect(res.status).toBe(200);
      expect(res.body.context).toMatchObject({
        conversationId: v.conversation.id, visitorId: v.visitorId, channel,
        page: { url: 'https://shop.example.com/cart?x=1', title: '购物车 – Shop', referrer: 'https://www.baidu.com/' },
        browser: 'Chrome 131', os: 'Windows 10/11', language: 'zh-CN', timezoneOffset: -480, timeZone: 'Asia/Shanghai',
        flowVariables: { orderNo: 'A-1042' },
      });
      expect(res.body.context.journey.map((p) => p.url)).toEqual([1, 2, 3].map((i) => `https://shop.example.com/p/${i}`).concat('https://shop.example.com/checkout'));
      expect(res.body.profile).toMatchObject({ displayName: '张伟', email: null, vip: false, attributes: {} });
      expect(res.body.editable).toBe(true);
      // The visitor hears nothing of it (their socket is in the conversation's room).
      const heard: string[] = [];
      v.socket.onAny((event: string) => heard.push(event));
      await patch(team.alice.token, v.visitorId, { company: 'Shanghai Pudong Trading' });
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).not.toContain('visitor-context:changed');
    } finally {
      v.close();
    }
  });

  it('keeps the newest 100 page views and refuses bad or out-of-conversation reports, changing nothing', async () => {
    const v = await servedVisitor('Journey Visitor');
    try {
      for (let i = 0; i < 105; i++) {
        expect((await http(stack.baseUrl, 'POST', '/api/visitor/page-views', { token: v.token, body: { url: `https://shop.example.com/n/${i}` } })).status).toBe(201);
      }
      const journey = (await context(team.alice.token, v.conversation.id)).body.context.journey;
      expect(journey).toHaveLength(100);
      expect(journey[0].url).toBe('https://shop.example.com/n/5');
      expect(journey[99].url).toBe('https://shop.example.com/n/104');

      const before = await snapshot(stack.database.pool);
      for (const body of [{ url: 'javascript:alert(1)' }, { url: 'https://x.example/'.padEnd(2100, 'a') }, { url: 'https://x.example/', title: 'x'.repeat(301) }, { url: 'https://x.example/', extra: 1 }, { url: 'https://x.example/', at: 'yesterday' }]) {
        const res = await http<{ error: { code: string } }>(stack.baseUrl, 'POST', '/api/visitor/page-views', { token: v.token, body });
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      }
      // Staff cannot report page views; a start with a bad page is refused before anything is stored.
      expect((await http(stack.baseUrl, 'POST', '/api/visitor/page-views', { token: team.alice.token, body: { url: 'https://x.example/' } })).status).toBe(403);
      expect((await http(stack.baseUrl, 'POST', '/api/visitor/conversations', { token: v.token, body: { page: { url: 'ftp://x.example/' } } })).status).toBe(400);
      expect((await http(stack.baseUrl, 'POST', '/api/visitor/conversations', { token: v.token, body: { page: { url: 'https://x.example/', timezoneOffset: 5000 } } })).status).toBe(400);
      expect(diff(before, await snapshot(stack.database.pool))).toBe('');

      await team.alice.closeConversation(v.conversation.id);
      await waitUntil(async () => ['rating', 'ended'].includes((await stack.database.pool.query('select status from conversations where id = $1', [v.conversation.id])).rows[0].status));
      expect((await http(stack.baseUrl, 'POST', '/api/visitor/page-views', { token: v.token, body: { url: 'https://shop.example.com/after' } })).status).toBe(409);
    } finally {
      v.close();
    }
  });

  it('lets the serving agent edit the profile and VIP, audits each change, and refuses bad input without changing anything', async () => {
    const v = await servedVisitor('Alexandra Konstantinopoulou-Vanderbilt the Third of Long Names Incorporated');
    try {
      const ok = await patch(team.alice.token, v.visitorId, { email: 'alex@example.com', phone: '+86 21 5555 0100', attributes: { plan: 'gold', 'order.count': '3' } });
      expect(ok.status).toBe(200);
      expect(ok.body.profile).toMatchObject({ email: 'alex@example.com', phone: '+86 21 5555 0100', attributes: { plan: 'gold', 'order.count': '3' } });
      const vip = await http<VisitorProfileView>(stack.baseUrl, 'PUT', `/api/visitors/${v.visitorId}/vip`, { token: team.alice.token, body: { vip: true } });
      expect(vip.status).toBe(200);
      // The flag routing reads: the visitor's row (a new conversation starts with it and is queued first).
      expect((await stack.database.pool.query('select vip from visitors where id = $1', [v.visitorId])).rows[0].vip).toBe(true);
      const again = await patch(team.alice.token, v.visitorId, { email: 'alex@corp.example.com', attributes: { plan: null } });
      expect(again.body.profile.attributes).toEqual({ 'order.count': '3' });
      expect(again.body.audit.map((a) => [a.field, a.oldValue, a.newValue, a.actorName])).toEqual([
        // newest first; one transaction's entries share their time, then by id descending
        ['attributes.plan', 'gold', null, 'Alice'],
        ['email', 'alex@example.com', 'alex@corp.example.com', 'Alice'],
        ['vip', 'false', 'true', 'Alice'],
        ['attributes.order.count', null, '3', 'Alice'],
        ['attributes.plan', null, 'gold', 'Alice'],
        ['phone', null, '+86 21 5555 0100', 'Alice'],
        ['email', null, 'alex@example.com', 'Alice'],
      ]);
      // An edit that changes nothing is not audited.
      expect((await patch(team.alice.token, v.visitorId, { email: 'alex@corp.example.com' })).body.audit).toHaveLength(7);

      const before = await snapshot(stack.database.pool);
      const bad: Array<[unknown, RegExp]> = [
        [{ email: 'not-an-email' }, /e-mail/],
        [{ email: `${'a'.repeat(250)}@example.com` }, /./],
        [{ phone: 'call me maybe' }, /phone/],
        [{ phone: '12' }, /phone/],
        [{ displayName: '' }, /display name/],
        [{ displayName: 'x'.repeat(81) }, /80/],
        [{ company: 'x'.repeat(121) }, /120/],
        [{ attributes: { '1bad': 'x' } }, /attribute key/],
        [{ attributes: { 'has space': 'x' } }, /attribute key/],
        [{ attributes: { ok: 'x'.repeat(501) } }, /500/],
        [{ attributes: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v'])) }, /at most 30/],
        [{ vip: true }, /./],
        [{ email: 'alex@example.com', unknown: 1 }, /./],
      ];
      for (const [body, message] of bad) {
        const res = await patch(team.alice.token, v.visitorId, body);
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(res.body.error?.message).toMatch(message);
      }
      expect((await http(stack.baseUrl, 'PUT', `/api/visitors/${v.visitorId}/vip`, { token: team.alice.token, body: { vip: 'yes' } })).status).toBe(400);
      for (const raw of ['{"attributes":{"__proto__":"x"}}', '{"attributes":{"__proto__":null}}', '{"attributes":{"ok":"1","__proto__":{"polluted":true}}}']) {
        const res = await http<{ error: { message: string } }>(stack.baseUrl, 'PATCH', `/api/visitors/${v.visitorId}/profile`, { token: team.alice.token, raw });
        expect(res.status, raw).toBe(400);
        expect(res.body.error.message).toMatch(/attribute key/);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // An empty edit changes nothing and says so with the profile as it is (no audit row).
      expect((await patch(team.alice.token, v.visitorId, {})).status).toBe(200);
      expect(diff(before, await snapshot(stack.database.pool))).toBe('');
    } finally {
      v.close();
    }
  });

  it('keeps profiles to the serving agent (read after close, no edits) and admins; never to other agents or visitors', async () => {
    const v = await servedVisitor('Private Visitor');
    const other = await idleVisitor(stack.baseUrl, 'Other Visitor');
    await settled(stack.database.pool);
    try {
      const before = await snapshot(stack.database.pool);
      // Bob serves no conversation of this visitor.
      expect((await context(team.bob.token, v.conversation.id)).status).toBe(403);
      expect((await http(stack.baseUrl, 'GET', `/api/visitors/${v.visitorId}/profile`, { token: team.bob.token })).status).toBe(403);
      expect((await patch(team.bob.token, v.visitorId, { email: 'bob@evil.example' })).status).toBe(403);
      expect((await http(stack.baseUrl, 'PUT', `/api/visitors/${v.visitorId}/vip`, { token: team.bob.token, body: { vip: true } })).status).toBe(403);
      // Visitors, their own profile included, never read staff data.
      for (const token of [v.token, other.token]) {
        expect((await context(token, v.conversation.id)).status).toBe(403);
        expect((await http(stack.baseUrl, 'GET', `/api/visitors/${v.visitorId}/profile`, { token })).status).toBe(403);
        expect((await patch(token, v.visitorId, { email: 'me@example.com' })).status).toBe(403);
      }
      expect((await http(stack.baseUrl, 'GET', `/api/visitors/${randomUUID()}/profile`, { token: team.admin.token })).status).toBe(404);
      expect(diff(before, await snapshot(stack.database.pool))).toBe('');

      // Admins see and change any visitor.
      expect((await context(team.admin.token, v.conversation.id)).body.editable).toBe(true);
      expect((await patch(team.admin.token, v.visitorId, { company: 'ACME' })).status).toBe(200);

      // Once closed, Alice still reads it (her closed list) but no longer changes it.
      await team.alice.closeConversation(v.conversation.id);
      await waitUntil(async () => ['rating', 'ended'].includes((await stack.database.pool.query('select status from conversations where id = $1', [v.conversation.id])).rows[0].status));
      const after = await context(team.alice.token, v.conversation.id);
      expect(after.status).toBe(200);
      expect(after.body.editable).toBe(false);
      expect(after.body.profile.company).toBe('ACME');
      expect((await http(stack.baseUrl, 'GET', `/api/visitors/${v.visitorId}/profile`, { token: team.alice.token })).body).toMatchObject({ editable: false });
      expect((await patch(team.alice.token, v.visitorId, { company: 'Mine now' })).status).toBe(403);
    } finally {
      v.close();
      other.close();
    }
  });
});

async function waitUntil(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
