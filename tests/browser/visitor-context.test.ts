import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

/** Screenshots for people to look at (not compared): tests/browser/lib/shots.ts says where. */
const SHOTS = shotsDir('context');
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const LONG_NAME = 'Maximiliana Alexandrovna Konstantinopoulou-Vanderbilt-Featherstonehaugh';

describe('the visitor in context, in the workbench', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an agent accepts a chat, sees where the visitor came from, edits e-mail and an attribute, toggles VIP and sees the audit', async () => {
    const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });

    const aliceContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const alice = await aliceContext.newPage();
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    // Empty states: nothing selected yet.
    await alice.getByTestId('context-panel').waitFor(WAIT);
    await shot(alice, '1280-empty');
    await alice.getByTestId('status-switch').selectOption('online');
    await alice.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);

    // ---- a visitor in Shanghai on an Android phone, arriving from a search engine ----
    const visitorContext = await browser.newContext({ userAgent: ANDROID_CHROME, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 800 } });
    await visitorContext.setExtraHTTPHeaders({ referer: 'https://www.baidu.com/s?wd=parley' });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${stack.baseUrl}/?utm_source=baidu`);
    await visitor.getByTestId('menu-item').filter({ hasText: '联系人工客服' }).click(); // the seeded flow speaks the visitor's Chinese
    await alice.getByTestId('offer-accept').click(WAIT);
    await alice.getByTestId('chat-pane').waitFor(WAIT);

    // ---- the panel shows where the chat started and with what ----
    const panel = alice.getByTestId('context-panel');
    await panel.getByTestId('context-identity').waitFor(WAIT);
    expect(await panel.getByTestId('context-page').textContent()).toContain(`${stack.baseUrl}/?utm_source=baidu`);
    // The page's title as the visitor's Chinese browser showed it (the chat follows the browser's language).
    expect(await panel.getByTestId('context-page').textContent()).toContain('在线客服 · Parley');
    expect(await panel.getByTestId('context-referrer').textContent()).toContain('https://www.baidu.com/');
    expect(await panel.getByTestId('context-browser').textContent()).toBe('Chrome 131');
    expect(await panel.getByTestId('context-os').textContent()).toBe('Android 14');
    expect(await panel.getByTestId('context-language').textContent()).toBe('zh-CN');
    expect(await panel.getByTestId('context-local-time').textContent()).toContain('Asia/Shanghai');
    // The full-page chat reported its page as the journey's first view.
    await panel.getByTestId('context-page-view').first().waitFor(WAIT);
    expect(await panel.getByTestId('context-page-view').count()).toBe(1);
    expect(await panel.getByTestId('context-email').textContent()).toBe('Not set');

    // ---- edit: a Chinese name, e-mail, company and a custom attribute ----
    await panel.getByTestId('context-edit').click();
    await panel.getByTestId('context-input-name').fill('张伟');
    await panel.getByTestId('context-input-email').fill('zhang.wei@example.cn');
    await panel.getByTestId('context-input-company').fill('上海市浦东新区张江高科技园区');
    await panel.getByTestId('context-attribute-add').click();
    await panel.getByTestId('context-attribute-key').last().fill('plan');
    await panel.getByTestId('context-attribute-value').last().fill('gold');
    expect(await seriousAxeViolations(alice)).toEqual([]); // the edit form too
    await panel.getByTestId('context-save').click();
    await panel.locator('[data-testid="context-email"]', { hasText: 'zhang.wei@example.cn' }).waitFor(WAIT);
    expect(await panel.locator('[data-testid="context-attribute"][data-key="plan"]').textContent()).toContain('gold');
    expect(await panel.getByTestId('context-name').textContent()).toBe('张伟');

    // A bad attribute name is refused with the server's reason, and nothing changes.
    await panel.getByTestId('context-edit').click();
    await panel.getByTestId('context-attribute-add').click();
    await panel.getByTestId('context-attribute-key').last().fill('9 lives');
    await panel.getByTestId('context-attribute-value').last().fill('x');
    await panel.getByTestId('context-save').click();
    expect(await panel.getByTestId('context-error').textContent()).toMatch(/attribute key starts with a letter/);
    await panel.getByRole('button', { name: 'Cancel' }).click();

    // ---- VIP, then the change history ----
    await panel.getByTestId('context-vip').check();
    await panel.locator('[data-testid="context-audit-entry"][data-field="vip"]').waitFor({ state: 'attached', ...WAIT });
    expect(await panel.getByTestId('context-vip').isChecked()).toBe(true);
    const [{ vip }] = (await stack.database.pool.query('select vip from visitors where display_name = $1', ['张伟'])).rows;
    expect(vip).toBe(true);
    await panel.getByTestId('context-audit').locator('summary').click();
    const entries = panel.getByTestId('context-audit-entry');
    expect(await entries.count()).toBe(5); // name, e-mail, company, plan, VIP
    expect(await entries.first().textContent()).toMatch(/Alice changed VIP.*No → Yes/s);
    expect(await panel.locator('[data-testid="context-audit-entry"][data-field="email"]').textContent()).toMatch(/\(empty\) → zhang\.wei@example\.cn/);

    // ---- more pages viewed (as the widget would report them) reach the open panel ----
    await visitor.evaluate(async () => {
      const token = localStorage.getItem('parley.visitorToken') ?? Object.values(localStorage).find((v) => v.split('.').length === 3);
      for (const [url, title] of [['https://shop.example.cn/products/42', '智能手表 Pro – 商品详情'], ['https://shop.example.cn/cart', '购物车']]) {
        await fetch('/api/visitor/page-views', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ url, title }) });
      }
    });
    await alice.locator('[data-testid="context-page-view"]', { hasText: '购物车' }).waitFor(WAIT);
    expect(await panel.getByTestId('context-page-view').count()).toBe(3);

    // ---- accessibility with the panel open ----
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await shot(alice, '1280-chinese-name');

    // ---- tablet: the details become a drawer ----
    await alice.setViewportSize({ width: 900, height: 800 });
    await alice.getByTestId('workbench-details').waitFor({ state: 'hidden', ...WAIT });
    await shot(alice, '900-chat');
    await alice.getByTestId('context-toggle').click();
    await alice.getByTestId('workbench-details').waitFor(WAIT);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await shot(alice, '900-details-drawer');
    await alice.keyboard.press('Escape');
    await alice.getByTestId('workbench-details').waitFor({ state: 'hidden', ...WAIT });

    // ---- phone: one pane at a time (list → chat → details); the transcript is readable (no one-character lines) ----
    await visitor.getByTestId('composer-input').fill('我想查询一下我的订单 A-1042 的物流状态，谢谢！');
    await visitor.getByTestId('composer-send').click();
    await alice.getByTestId('message-list').getByText('我想查询一下我的订单').waitFor(WAIT);
    await alice.setViewportSize({ width: 390, height: 800 });
    await alice.getByTestId('pane-back-to-list').click();
    await alice.getByTestId('conversation-item').first().waitFor(WAIT);
    expect(await alice.getByTestId('workbench-chat').isVisible()).toBe(false);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await shot(alice, '390-list');
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await alice.getByTestId('conversation-item').first().click();
    await alice.getByTestId('chat-pane').waitFor(WAIT);
    expect(await alice.getByTestId('workbench-list').isVisible()).toBe(false);
    // The newest message shows (a pane shown again starts at its top otherwise), at a readable width.
    const bubble = await alice.locator('.bubble', { hasText: '我想查询一下我的订单' }).boundingBox();
    expect(bubble!.width).toBeGreaterThan(200);
    expect(bubble!.y).toBeGreaterThan(0);
    expect(bubble!.y + bubble!.height).toBeLessThanOrEqual(800);
    await shot(alice, '390-chat');
    await alice.getByTestId('context-toggle').click();
    await alice.getByTestId('context-identity').waitFor(WAIT);
    expect(await alice.getByTestId('workbench-chat').isVisible()).toBe(false);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await shot(alice, '390-details');
    await alice.getByTestId('pane-back-to-chat').click();
    await alice.getByTestId('chat-pane').waitFor(WAIT);

    // ---- a very long name, at every width ----
    await alice.getByTestId('context-toggle').click();
    await alice.getByTestId('context-edit').click();
    await alice.getByTestId('context-input-name').fill(LONG_NAME);
    await alice.getByTestId('context-save').click();
    await alice.locator('[data-testid="context-name"]', { hasText: LONG_NAME }).waitFor(WAIT);
    await shot(alice, '390-details-long-name');
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await alice.setViewportSize({ width: 1280, height: 800 });
    await shot(alice, '1280-long-name');
    await alice.setViewportSize({ width: 900, height: 800 });
    await shot(alice, '900-long-name');
  });
});
