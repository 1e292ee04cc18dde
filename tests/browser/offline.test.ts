import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { conversations, messages, visitors } from '../../db/schema.js';
import { DEFAULT_FLOW } from '../../domain/flow/default-flow.js';
import { http, staffClient, type StaffClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

const SHOTS = shotsDir('offline');

/**
 * Issue 19 in a real browser: with nobody online the visitor chat says so in its header, the hand-off
 * offers the leave-a-message form (checked, accessible), the message is sent and an admin finds it in
 * the console (and an agent in the workbench). Screenshots at 1280 and 390 px.
 */
describe('when nobody can answer, in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const page = async (width: number, height = 800) => {
    const ctx = await browser.newContext({ viewport: { width, height } });
    contexts.push(ctx);
    return ctx.newPage();
  };
  const shot = (p: Page, name: string, width: number) => p.screenshot({ path: `${SHOTS}/${name}-${width}.png` });

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack({ productOfflineDefaults: true, api: { availability: { pollMs: 300, cacheMs: 0 } } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  /** A visitor asks for an agent while nobody is signed in: the header says offline and the form opens. */
  async function visitorOffered(width: number, query = '', headerShot?: string) {
    const visitor = await page(width);
    await visitor.goto(`${stack.baseUrl}/${query}`);
    const badge = visitor.getByTestId('channel-availability');
    await badge.waitFor(WAIT);
    expect(await badge.getAttribute('data-status')).toBe('offline');
    await visitor.getByTestId('menu-item').first().waitFor(WAIT);
    if (headerShot) await shot(visitor, headerShot, width);
    await visitor.getByTestId('menu-item').first().click(WAIT); // "Talk to an agent"
    await visitor.getByTestId('leave-message-form').waitFor(WAIT);
    return visitor;
  }

  it('offline channel: the visitor leaves a message, an admin and an agent see it', async () => {
    const visitor = await visitorOffered(1280, '', 'visitor-offline-header');
    expect(await visitor.getByTestId('channel-availability').textContent()).toContain('Offline');
    expect(await visitor.getByTestId('leave-message-offer').getAttribute('data-reason')).toBe('nobodyOnline');
    expect(await visitor.getByTestId('composer').count()).toBe(0); // the form replaces the composer
    await shot(visitor, 'leave-message-offered', 1280);
    expect(await seriousAxeViolations(visitor, '[data-testid="leave-message-form"]')).toEqual([]);

    // Sent empty: every problem is said, nothing is sent.
    await visitor.getByTestId('leave-message-send').click();
    await visitor.getByTestId('leave-message-name').and(visitor.locator('[aria-invalid="true"]')).waitFor(WAIT);
    expect(await visitor.getByTestId('leave-message-contact-hint').textContent()).toContain('e-mail address or a phone number');
    await shot(visitor, 'leave-message-form-errors', 1280);
    expect(await seriousAxeViolations(visitor, '[data-testid="leave-message-form"]')).toEqual([]);

    await visitor.getByTestId('leave-message-name').fill('Ada Lovelace');
    await visitor.getByTestId('leave-message-email').fill('ada@example.com');
    await visitor.getByTestId('leave-message-text').fill('My order #1842 has not arrived. Please e-mail me when you can.');
    await shot(visitor, 'leave-message-form', 1280);
    await visitor.getByTestId('leave-message-send').click();
    await visitor.locator('[data-testid="end"][data-closed-by="left-message"]').waitFor(WAIT);
    expect(await visitor.getByTestId('leave-message-form').count()).toBe(0);
    await shot(visitor, 'visitor-message-left', 1280);

    const admin = await page(1280);
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('nav-left-messages').click();
    const item = admin.getByTestId('left-message').filter({ hasText: 'Ada Lovelace' });
    await item.waitFor(WAIT);
    expect(await item.getByTestId('left-message-email').textContent()).toBe('ada@example.com');
    expect(await item.getByTestId('left-message-text').textContent()).toContain('#1842');
    expect(await seriousAxeViolations(admin)).toEqual([]);
    await shot(admin, 'staff-left-messages', 1280);

    const agent = await page(1280);
    await staffLogin(agent, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await agent.getByTestId('left-messages-open').click();
    await agent.getByTestId('agent-left-messages').getByTestId('left-message').filter({ hasText: 'Ada Lovelace' }).waitFor(WAIT);
    await shot(agent, 'workbench-left-messages', 1280);

    await item.getByTestId('left-message-handle').click();
    await item.waitFor({ state: 'detached', ...WAIT });
    await admin.getByTestId('left-messages-filter').selectOption('handled');
    await admin.getByTestId('left-message').filter({ hasText: 'Ada Lovelace' }).getByTestId('left-message-handled').waitFor(WAIT);
    await shot(admin, 'staff-left-messages-handled', 1280);
  });

  it('at 390 px, in English and in Chinese', async () => {
    const visitor = await visitorOffered(390, '', 'visitor-offline-header');
    await shot(visitor, 'leave-message-form', 390);
    expect(await seriousAxeViolations(visitor, '[data-testid="leave-message-form"]')).toEqual([]);

    const chinese = await visitorOffered(390, '?locale=zh-CN', 'visitor-offline-header-zh');
    expect(await chinese.getByTestId('channel-availability').textContent()).toContain('离线');
    expect(await chinese.getByTestId('leave-message-send').textContent()).toContain('提交留言');
    await chinese.getByTestId('leave-message-send').click();
    await shot(chinese, 'leave-message-form-zh', 390);
    await chinese.getByTestId('leave-message-name').fill('欧阳明月（上海浦东新区客户服务中心采购部）');
    await chinese.getByTestId('leave-message-phone').fill('+86 21 5555 0100');
    await chinese.getByTestId('leave-message-text').fill('您好，我们上周订购的设备至今没有收到，请尽快电话联系我。订单号：PO-2026-000184229。');
    await chinese.getByTestId('leave-message-send').click();
    await chinese.locator('[data-testid="end"][data-closed-by="left-message"]').waitFor(WAIT);

    const admin = await page(390);
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.goto(`${stack.baseUrl}/admin/left-messages`);
    await admin.getByTestId('left-messages').waitFor(WAIT);
    await shot(admin, 'staff-left-messages', 390);
  });

  it('a queued visitor sees the estimated wait, and past the wait limit may leave a message or keep the place', async () => {
    // Its own desk: Alice signed in without room (so visitors wait), a short wait limit, recent service times of 2 minutes.
    const waiting = await startStack({
      productOfflineDefaults: true,
      flow: { ...DEFAULT_FLOW, settings: { ...DEFAULT_FLOW.settings, queueReminderSec: null, offline: { waitLimitSec: 4 } } },
    });
    let alice: StaffClient | undefined;
    try {
      const db = waiting.database.db;
      const visitorId = randomUUID();
      await db.insert(visitors).values({ id: visitorId, displayName: 'Earlier' });
      for (let i = 0; i < 3; i++) {
        const id = randomUUID();
        const ended = new Date(Date.now() - 1000);
        await db.insert(conversations).values({ id, workflowId: `conversation-${id}`, visitorId, channel: 'web', status: 'ended', flowId: 'x', flowVersion: 1, agentId: randomUUID(), endedAt: ended });
        await db.insert(messages).values({ id: randomUUID(), conversationId: id, sender: 'agent', body: { kind: 'text', text: 'hi' }, createdAt: new Date(ended.getTime() - 120_000) });
      }
      const admin = await staffClient(waiting.baseUrl, 'admin@parley.local');
      const agents = await http<{ agents: Array<{ id: string; email: string }> }>(waiting.baseUrl, 'GET', '/api/agents', { token: admin.token });
      const aliceId = agents.body.agents.find((a) => a.email === 'alice@parley.local')!.id;
      expect((await http(waiting.baseUrl, 'PATCH', `/api/agents/${aliceId}`, { token: admin.token, body: { maxConversations: 0 } })).status).toBe(200);
      admin.close();
      alice = await staffClient(waiting.baseUrl, 'alice@parley.local');
      expect(await alice.setStatus('online')).toMatchObject({ ok: true });

      for (const width of [1280, 390]) {
        const visitor = await page(width);
        await visitor.goto(`${waiting.baseUrl}/`);
        await visitor.getByTestId('menu-item').first().click(WAIT);
        const estimate = visitor.getByTestId('queue-estimated-wait');
        await estimate.waitFor(WAIT);
        expect(await estimate.textContent()).toMatch(/Estimated wait: about \d+ minutes?/);
        expect(await visitor.getByTestId('channel-availability').getAttribute('data-status')).toBe('online');
        await shot(visitor, 'queue-estimated-wait', width);
        // Past the limit: a choice, the place kept; the form opens on request and folds again.
        await visitor.getByTestId('leave-message-open').waitFor(WAIT);
        expect(await visitor.getByTestId('composer').count()).toBe(1);
        await shot(visitor, 'wait-limit-offer', width);
        await visitor.getByTestId('leave-message-open').click();
        await visitor.getByTestId('leave-message-form').waitFor(WAIT);
        expect(await seriousAxeViolations(visitor, '[data-testid="leave-message-form"]')).toEqual([]);
        await visitor.getByTestId('leave-message-keep-waiting').click();
        await visitor.getByTestId('leave-message-open').waitFor(WAIT);
        expect(await visitor.getByTestId('conversation-status').getAttribute('data-status')).toBe('queued');
      }
    } finally {
      alice?.close();
      await waiting.stop();
    }
  });
});
