import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ratings } from '../../db/schema.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';

async function login(page: Page, url: string, email: string) {
  await page.goto(url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
}

describe('thin slice in a real browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('visitor chats with an agent, the agent closes, the visitor rates; the admin sees it live', async () => {
    const admin = await (await browser.newContext()).newPage();
    await login(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('conversations-table').waitFor();

    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    await expect.poll(() => visitor.getByTestId('queue-position').first().textContent(), { timeout: 20_000 }).toContain('1');
    // the one queue card (issue 19) follows the desk's position notices
    await expect.poll(() => visitor.getByTestId('queue-live-position').getAttribute('data-position'), { timeout: 20_000 }).toBe('1');

    const agent = await (await browser.newContext()).newPage();
    await login(agent, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await agent.getByTestId('status-switch').selectOption('online');
    await agent.getByTestId('offer-accept').click({ timeout: 20_000 });
    await visitor.getByTestId('notice').filter({ hasText: 'Alice' }).waitFor({ timeout: 20_000 });

    await agent.getByTestId('composer-input').fill('Hi! <b>How</b> can I help?');
    await agent.getByTestId('composer-send').click();
    const fromAgent = visitor.getByTestId('message').filter({ hasText: 'How</b> can I help?' });
    await fromAgent.waitFor({ timeout: 20_000 });
    expect(await fromAgent.locator('b').count()).toBe(0); // shown as text, never as HTML

    await visitor.getByTestId('composer-input').fill('Where is my parcel?');
    await visitor.getByTestId('composer-send').click();
    await agent.getByTestId('message').filter({ hasText: 'Where is my parcel?' }).waitFor({ timeout: 20_000 });

    const row = admin.getByTestId('conversation-row').filter({ hasText: 'Alice' });
    await row.waitFor({ timeout: 20_000 });
    const link = await row.getByTestId('temporal-link').getAttribute('href');
    expect(link).toMatch(/\/namespaces\/default\/workflows\/conversation-[0-9a-f-]{36}$/);

    await agent.getByTestId('close-conversation').click();
    await agent.getByTestId('close-dialog').getByTestId('close-confirm').click(); // "Close" asks first
    await visitor.getByTestId('rating-card').waitFor({ timeout: 20_000 });
    await visitor.locator('[data-testid="rating-star"][data-score="4"]').click();
    await visitor.getByTestId('rating-submit').click();
    await visitor.getByTestId('rating-success').waitFor({ timeout: 20_000 });

    const conversationId = link!.split('conversation-')[1];
    const stored = await stack.database.db.select().from(ratings).where(eq(ratings.conversationId, conversationId));
    expect(stored.map((r) => r.score)).toEqual([4]);

    // a reload resumes the same conversation with its history
    await visitor.reload();
    await visitor.getByTestId('message').filter({ hasText: 'Where is my parcel?' }).waitFor({ timeout: 20_000 });
  });
});
