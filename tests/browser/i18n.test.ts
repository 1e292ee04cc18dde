import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

/** Screenshots for people to look at (not compared). */
const SHOTS = shotsDir('i18n-web');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** Issue 19: the visitor chat, the workbench and the console in Simplified Chinese, by each way a locale is chosen. */
describe('the web apps in Simplified Chinese', () => {
  let stack: Stack;
  let browser: Browser;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim();

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

  it('the visitor chat follows ?locale=zh-CN in an English browser, and its language menu switches it back and forth', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/?locale=zh-CN`);
    await page.getByTestId('menu-item').first().waitFor(WAIT);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toBe('在线客服 · Parley');
    expect(await page.locator('.topbar h1').textContent()).toBe('在线客服');
    expect(await text(page, 'conversation-status')).toBe('智能助手为您服务。');
    expect(await text(page, 'close-conversation')).toBe('结束会话');
    expect(await page.getByTestId('composer-send').textContent()).toBe('发送');
    expect(await page.getByTestId('composer-input').getAttribute('placeholder')).toBe('请输入消息…');
    expect(await page.getByTestId('language-switcher').inputValue()).toBe('zh-CN');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shot(page, 'visitor-1280');
    await page.setViewportSize(PHONE);
    await shot(page, 'visitor-390');

    await page.getByTestId('language-switcher').selectOption('en');
    await page.locator('.topbar h1', { hasText: 'Customer support' }).waitFor(WAIT);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toBe('Chat with us · Parley');
    await page.getByTestId('language-switcher').selectOption('zh-CN');
    await page.locator('.topbar h1', { hasText: '在线客服' }).waitFor(WAIT);
    await context.close();
  });

  it('the console follows the browser’s language (navigator.language zh-CN) from the login page on', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/admin/login`);
    await page.getByTestId('login-form').waitFor(WAIT);
    expect(await page.locator('.login-card h1').textContent()).toBe('管理后台');
    expect(await text(page, 'login-submit')).toBe('登录');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByTestId('login-email').fill('admin@parley.local');
    await page.getByTestId('login-password').fill('wrong password, long enough');
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toBe('邮箱或密码错误。');

    await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    expect(await page.title()).toBe('管理后台 · Parley');
    expect(await text(page, 'sign-out')).toBe('退出登录');
    expect(await text(page, 'nav-conversations')).toBe('会话');
    expect(await text(page, 'nav-queue')).toBe('排队');
    expect(await text(page, 'nav-teams')).toBe('技能组');
    expect(await text(page, 'nav-canned')).toBe('快捷回复');
    await page.getByTestId('conversations-table').waitFor(WAIT);
    expect(await page.locator('[data-testid="conversations-table"] th').first().textContent()).toBe('状态');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shot(page, 'admin-1280');
    await page.getByTestId('nav-agents').click();
    await page.getByTestId('agent-row').first().waitFor(WAIT);
    expect(await page.locator('[data-testid="agents-table"] th').first().textContent()).toBe('名称');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shot(page, 'admin-agents-1280');
    await page.setViewportSize(PHONE);
    await shot(page, 'admin-agents-390');
    await page.getByTestId('nav-routing').click();
    await page.getByTestId('routing-form').waitFor(WAIT);
    await shot(page, 'admin-routing-390');
    await context.close();
  });

  it('an agent’s language chosen in the workbench is kept on the account: it survives a reload and follows them to another browser', async () => {
    const first = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    const alice = await first.newPage();
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    expect(await text(alice, 'sign-out')).toBe('Sign out');
    const saved = alice.waitForResponse((r) => r.url().endsWith('/api/me/preferences/locale') && r.request().method() === 'PUT');
    await alice.getByTestId('language-switcher').selectOption('zh-CN');
    expect((await saved).status()).toBe(200);
    expect(await text(alice, 'sign-out')).toBe('退出登录');
    await alice.reload();
    await alice.getByTestId('current-user').waitFor(WAIT);
    expect(await text(alice, 'sign-out')).toBe('退出登录');
    await first.close();

    // Another device: an English browser with nothing stored; signing in brings the account's language.
    const second = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    const page = await second.newPage();
    await staffLogin(page, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await page.getByTestId('sign-out').filter({ hasText: '退出登录' }).waitFor(WAIT);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toBe('坐席工作台 · Parley');
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await page.getByTestId('status-switch').selectOption('online');
    await page.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="status-switch"] option:checked').textContent()).toBe('在线');

    // A visitor asks for an agent; the offer, the chat and the details read in Chinese.
    const visitorContext = await browser.newContext({ locale: 'zh-CN', viewport: PHONE });
    const visitor = await visitorContext.newPage();
    await visitor.goto(stack.baseUrl);
    await visitor.getByTestId('menu-item').filter({ hasText: '联系人工客服' }).click(); // the seeded flow speaks the visitor's Chinese
    await page.getByTestId('offer-accept').filter({ hasText: '接入' }).click(WAIT);
    await page.getByTestId('chat-pane').waitFor(WAIT);
    await visitor.getByTestId('conversation-status').filter({ hasText: '正在为您服务' }).waitFor(WAIT);
    await visitor.getByTestId('composer-input').fill('你好，我的包裹还没到。');
    await visitor.getByTestId('composer-send').click();
    await page.getByTestId('message').filter({ hasText: '你好，我的包裹还没到。' }).waitFor(WAIT);
    expect(await text(page, 'transfer-open')).toBe('转接…');
    expect(await text(page, 'close-conversation')).toBe('结束会话');
    expect(await page.getByTestId('composer-input').getAttribute('placeholder')).toBe('回复访客…');
    expect(await page.getByTestId('chat-status').textContent()).toContain('坐席接待中');
    await page.getByTestId('context-identity').waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shot(page, 'workbench-1280');
    await shot(visitor, 'visitor-chatting-390');
    await page.setViewportSize(PHONE);
    await shot(page, 'workbench-390');

    // The close dialog, in Chinese too.
    await page.setViewportSize(DESKTOP);
    await page.getByTestId('close-conversation').click();
    await page.getByRole('dialog').waitFor(WAIT);
    expect(await page.getByRole('dialog').textContent()).toContain('结束此会话？');
    await shot(page, 'workbench-close-dialog-1280');
    await second.close();
    await visitorContext.close();
  });
});
