import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

const SHOTS = shotsDir('composer');
const LONG_URL = `https://example.com/orders/${'9f8e7d6c5b4a'.repeat(12)}?tracking=${'X'.repeat(60)}`;

/**
 * The composer in a real browser: an agent writes a multi-line message with a link and an emoji, the visitor
 * sees "… is typing" and then the message with a safe clickable link, read ticks appear, drafts survive
 * switching conversations and a reload, unread counts survive a reload, and a 2,000-message conversation opens.
 */
describe('composer in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const context = async (width = 1280) => {
    const c = await browser.newContext({ viewport: { width, height: width > 500 ? 800 : 844 } });
    contexts.push(c);
    return c;
  };

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function visitorAsksForAgent(page: Page) {
    await page.goto(`${stack.baseUrl}/`);
    await page.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
  }

  it('writes, types, links, ticks, drafts, unread counts and a long conversation', async () => {
    const alice = await (await context()).newPage();
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await alice.getByTestId('status-switch').selectOption('online');
    await alice.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);

    const visitor = await (await context(390)).newPage();
    await visitorAsksForAgent(visitor);
    await alice.getByTestId('offer-accept').click(WAIT);
    await visitor.getByTestId('notice').filter({ hasText: 'Alice' }).waitFor(WAIT);
    const pane = alice.getByTestId('chat-pane');
    await pane.waitFor(WAIT);
    const first = (await pane.getAttribute('data-conversation-id'))!;

    // ---- the agent types: the visitor sees "Alice is typing…" ----
    const input = pane.getByTestId('composer-input');
    await input.click();
    await alice.keyboard.type('Hello! See https://example.com/help?x=1');
    await expect.poll(() => visitor.getByTestId('typing-indicator').textContent(), WAIT).toContain('Alice is typing…');
    await alice.keyboard.press('Shift+Enter');
    await alice.keyboard.type('Not a link: javascript:alert(1) ');
    await pane.getByTestId('emoji-open').click();
    const grid = pane.getByTestId('emoji-grid');
    await grid.waitFor();
    expect(await seriousAxeViolations(alice, '[data-testid="composer"]')).toEqual([]);
    await alice.keyboard.press('ArrowRight'); // from 😀 to 😊
    await alice.keyboard.press('Enter');
    await grid.waitFor({ state: 'detached' });
    expect(await input.inputValue()).toBe('Hello! See https://example.com/help?x=1\nNot a link: javascript:alert(1) 😊');
    await input.press('Enter');

    // ---- the visitor gets it: two lines, one safe link, the emoji; the typing line goes ----
    const received = visitor.getByTestId('message').filter({ hasText: 'Not a link' });
    await received.waitFor(WAIT);
    const links = received.getByTestId('message-link');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/help?x=1');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await links.getAttribute('target')).toBe('_blank');
    expect(await received.locator('.bubble-text').innerText()).toBe('Hello! See https://example.com/help?x=1\nNot a link: javascript:alert(1) 😊');
    await expect.poll(() => visitor.getByTestId('typing-indicator').textContent(), WAIT).not.toContain('typing');

    // ---- read ticks on the agent's side (the visitor's page is visible and focused) ----
    const tick = pane.locator('[data-testid="message"][data-sender="agent"]').last().getByTestId('message-tick');
    await expect.poll(() => tick.getAttribute('data-state'), WAIT).toBe('read');

    // ---- the visitor types: the agent sees it ----
    await visitor.getByTestId('composer-input').click();
    await visitor.keyboard.type('我想查询我的订单 where is');
    await expect.poll(() => pane.getByTestId('typing-indicator').textContent(), WAIT).toMatch(/is typing…/);
    expect(await pane.getByTestId('typing-preview').count()).toBe(0); // previews are off by default
    await visitor.keyboard.press('Shift+Enter');
    await visitor.keyboard.type(`订单号 ${LONG_URL}`);
    await visitor.keyboard.press('Enter');
    await pane.getByTestId('message').filter({ hasText: '我想查询我的订单' }).waitFor(WAIT);

    // ---- an admin turns typing previews on: now the agent sees what the visitor is typing ----
    const admin = await (await context()).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('nav-routing').click();
    const previewSetting = admin.getByTestId('typing-preview-setting');
    await previewSetting.waitFor(WAIT);
    expect(await previewSetting.isChecked()).toBe(false);
    await previewSetting.check();
    await admin.getByTestId('composer-settings').getByRole('status').waitFor(WAIT);
    expect(await seriousAxeViolations(admin, '[data-testid="composer-settings"]')).toEqual([]);
    await admin.getByTestId('composer-settings').screenshot({ path: `${SHOTS}/admin-1280-composer-settings.png` });
    await visitor.getByTestId('composer-input').click();
    await visitor.keyboard.type('My address is');
    await visitor.waitForTimeout(500); // the first event's ack tells the page the desk wants previews; the next ones carry it
    await visitor.keyboard.type(' 1 Main St');
    await expect.poll(() => pane.getByTestId('typing-preview').textContent().catch(() => ''), WAIT).toContain('My address is 1 Main St');
    await alice.screenshot({ path: `${SHOTS}/agent-1280-typing-preview.png` });
    await visitor.getByTestId('composer-input').fill('');
    await visitor.getByTestId('composer-input').press('End');
    await previewSetting.uncheck();
    await admin.getByTestId('composer-settings').getByRole('status').waitFor(WAIT);

    // ---- a second visitor; a draft survives switching conversations ----
    const second = await (await context()).newPage();
    await visitorAsksForAgent(second);
    await alice.getByTestId('offer-accept').click(WAIT);
    await alice.locator('[data-testid="conversation-item"]').nth(1).waitFor(WAIT);
    const secondId = (await second.evaluate(() => fetch('/api/visitor/conversations', {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${localStorage.getItem('parley.visitor.token')}` }, body: '{}',
    }).then((r) => r.json() as Promise<{ id: string }>))).id;
    const item = (id: string) => alice.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`);
    const paneOf = (id: string) => alice.locator(`[data-testid="chat-pane"][data-conversation-id="${id}"]`);
    await item(first).click();
    await paneOf(first).getByTestId('composer-input').fill('');
    await paneOf(first).getByTestId('composer-input').pressSequentially('A draft for later');
    await item(secondId).click();
    expect(await paneOf(secondId).getByTestId('composer-input').inputValue()).toBe('');
    await item(first).click();
    expect(await paneOf(first).getByTestId('composer-input').inputValue()).toBe('A draft for later');

    // ---- the second visitor writes while Alice looks at the first: unread, and still unread after a reload ----
    await second.getByTestId('composer-input').fill('Are you there?');
    await second.getByTestId('composer-send').click();
    await expect.poll(() => item(secondId).getByTestId('unread-count').textContent(), WAIT).toContain('1');
    await alice.reload();
    await item(secondId).waitFor(WAIT);
    await expect.poll(() => item(secondId).getByTestId('unread-count').textContent().catch(() => null), WAIT).toContain('1');
    await item(first).click();
    expect(await paneOf(first).getByTestId('composer-input').inputValue()).toBe('A draft for later');
    await expect.poll(() => paneOf(first).locator('[data-testid="message"][data-sender="agent"]').last().getByTestId('message-tick').getAttribute('data-state'), WAIT).toBe('read');
    expect(await item(first).getByTestId('unread-count').count()).toBe(0);

    // ---- screenshots: Chinese text and a long unbroken URL at 1280 and 390 ----
    await alice.screenshot({ path: `${SHOTS}/agent-1280-chinese-long-url.png` });
    await visitor.screenshot({ path: `${SHOTS}/visitor-390-chinese-long-url.png` });
    const narrow = await (await context(390)).newPage();
    await staffLogin(narrow, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await narrow.locator(`[data-testid="conversation-item"][data-conversation-id="${first}"]`).click(WAIT);
    const narrowPane = narrow.locator(`[data-testid="chat-pane"][data-conversation-id="${first}"]`);
    await narrowPane.getByTestId('message').filter({ hasText: '我想查询我的订单' }).waitFor(WAIT);
    // Text wraps as text at 390 px: a long message's bubble takes most of the transcript's width, not one character.
    const bubbleWidth = await narrowPane.getByTestId('message').filter({ hasText: '我想查询我的订单' }).locator('.bubble').evaluate((el) => el.getBoundingClientRect().width);
    const listWidth = await narrowPane.getByTestId('message-list').evaluate((el) => el.clientWidth);
    expect(bubbleWidth).toBeGreaterThan(listWidth * 0.6);
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await narrow.screenshot({ path: `${SHOTS}/agent-390-chinese-long-url.png` });
    await visitor.getByTestId('emoji-open').click();
    expect(await seriousAxeViolations(visitor)).toEqual([]);
    await visitor.screenshot({ path: `${SHOTS}/visitor-390-emoji-picker.png` });
    await visitor.keyboard.press('Escape');

    // ---- 2,000 messages: virtualised, opens at the newest, keeps position when reading older ones ----
    await stack.database.db.execute(sql`
      insert into messages (id, conversation_id, sender, sender_id, sender_name, body, client_id)
      select gen_random_uuid(), ${secondId}, case when i % 3 = 0 then 'agent' else 'visitor' end, null,
             case when i % 3 = 0 then 'Alice' else 'Visitor' end,
             jsonb_build_object('kind', 'text', 'text', 'Message ' || i || case when i % 7 = 0 then ' 这是一条较长的中文消息，用来检查换行是否正常。' || repeat('word ', 20) else '' end),
             ${`bulk-${randomUUID()}`} || i
      from generate_series(1, 2000) i`);
    await alice.reload();
    await item(secondId).click(WAIT);
    const longPane = paneOf(secondId);
    await longPane.getByTestId('message').filter({ hasText: 'Message 2000' }).waitFor(WAIT);
    const rendered = await longPane.getByTestId('message').count();
    expect(rendered).toBeLessThan(80); // only what is on screen (and a few around it) is in the DOM
    await alice.screenshot({ path: `${SHOTS}/agent-1280-2000-messages.png` });
    // Scroll up: the position stays while a new message arrives; the pill counts it and brings it into view.
    const list = longPane.getByTestId('message-list');
    await list.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; el.dispatchEvent(new Event('scroll')); });
    await alice.waitForTimeout(300);
    const before = await list.evaluate((el) => el.scrollTop);
    await second.getByTestId('composer-input').fill('A new one while Alice reads history');
    await second.getByTestId('composer-send').click();
    await longPane.getByTestId('new-messages').waitFor(WAIT);
    expect(Math.abs((await list.evaluate((el) => el.scrollTop)) - before)).toBeLessThan(5);
    await alice.screenshot({ path: `${SHOTS}/agent-1280-new-messages-pill.png` });
    await longPane.getByTestId('new-messages').click();
    await longPane.getByTestId('message').filter({ hasText: 'A new one while Alice reads history' }).waitFor(WAIT);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    const narrowLong = await (await context(390)).newPage();
    await staffLogin(narrowLong, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await narrowLong.locator(`[data-testid="conversation-item"][data-conversation-id="${secondId}"]`).click(WAIT);
    await narrowLong.getByTestId('message').filter({ hasText: 'A new one while Alice reads history' }).waitFor(WAIT);
    await narrowLong.screenshot({ path: `${SHOTS}/agent-390-2000-messages.png` });
  }, 240_000);
});
