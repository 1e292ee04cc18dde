import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ratings, visitors } from '../../db/schema.js';
import { DEFAULT_FLOW } from '../../domain/flow/default-flow.js';
import { http, staffClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { shotsDir } from './lib/shots.js';

/** Screenshots for review (issue 19 brief): tests/browser/lib/shots.ts says where. */
const SHOTS = shotsDir('chat');
const WIDE = { width: 1280, height: 860 };
const NARROW = { width: 390, height: 844 };

/** The page at 1280 px and at 390 px, then back to 1280. */
async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-1280.png`) });
  await page.setViewportSize(NARROW);
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `${name}-390.png`) });
  await page.setViewportSize(WIDE);
  await page.waitForTimeout(100);
}

describe('the visitor\'s chat in a real browser (issue 19)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack({
      flow: { ...DEFAULT_FLOW, settings: { ...DEFAULT_FLOW.settings, rating: { askResolved: true, validitySec: 3600 } } },
    });
    const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    const saved = await http(stack.baseUrl, 'PUT', '/api/channels/web/prechat-form', {
      token: admin.token,
      body: {
        enabled: true,
        name: { show: true, required: true },
        email: { show: true, required: true },
        consent: { show: true, text: 'I agree that Parley keeps these answers with my conversation.' },
        fields: [{ id: 'topic', label: 'What is it about?', type: 'select', options: ['Billing', 'Delivery', 'Something else'], required: true }],
      },
    });
    expect(saved.status).toBe(200);
    admin.close();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('pre-chat form → queue → agent → close → rating with the options → rated state → transcript download', async () => {
    const visitor = await (await browser.newContext({ viewport: WIDE, acceptDownloads: true, locale: 'en-GB' })).newPage();
    await visitor.goto(`${stack.baseUrl}/`);
    const form = visitor.getByTestId('prechat-form');
    await form.waitFor(WAIT);
    expect(await seriousAxeViolations(visitor, '[data-testid="prechat-form"]')).toEqual([]);

    // nothing filled in: every problem beside its field, focus on the first, nothing sent
    await visitor.getByTestId('prechat-submit').click();
    await visitor.getByTestId('prechat-error-name').waitFor();
    for (const id of ['prechat-error-email', 'prechat-error-consent', 'prechat-field-error']) await visitor.getByTestId(id).waitFor();
    expect(await visitor.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('prechat-name');
    expect(await visitor.getByTestId('prechat-name').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAxeViolations(visitor, '[data-testid="prechat-form"]')).toEqual([]);
    await shoot(visitor, 'prechat-errors');

    await visitor.getByTestId('prechat-name').fill('Ada Lovelace');
    await visitor.getByTestId('prechat-email').fill('ada@');
    await visitor.getByTestId('prechat-submit').click();
    await expect.poll(() => visitor.getByTestId('prechat-error-email').textContent()).toContain('e-mail address');
    await expect.poll(() => visitor.getByTestId('prechat-error-name').count()).toBe(0);
    await visitor.getByTestId('prechat-email').fill('ada@example.com');
    await visitor.locator('[data-testid="prechat-field"][data-field="topic"]').selectOption('Delivery');
    await visitor.getByTestId('prechat-consent').check();
    await visitor.getByTestId('prechat-submit').click();

    // the chat starts; the answers are on the visitor's profile
    await visitor.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click(WAIT);
    const [profile] = await stack.database.db.select().from(visitors).where(eq(visitors.displayName, 'Ada Lovelace'));
    expect(profile).toMatchObject({ email: 'ada@example.com', attributes: { topic: 'Delivery' } });

    // the queue: the position once, in one card; no "Ticket no.", no repeated notices in the list
    const card = visitor.getByTestId('queue-live-position');
    await card.waitFor(WAIT);
    expect(await visitor.getByTestId('queue-position').count()).toBe(1);
    expect((await visitor.getByTestId('queue-position').textContent())?.trim()).toBe('1');
    expect(await card.textContent()).toContain('You are next.');
    expect(await visitor.getByTestId('queue').count()).toBe(0);
    expect(await visitor.locator('body').textContent()).not.toContain('Ticket no.');
    await shoot(visitor, 'queue-card');

    const agent = await (await browser.newContext({ viewport: WIDE })).newPage();
    await staffLogin(agent, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await agent.getByTestId('status-switch').selectOption('online');
    await agent.getByTestId('offer-accept').click(WAIT);
    await visitor.getByTestId('notice').filter({ hasText: 'Alice' }).waitFor(WAIT);
    expect(await card.count()).toBe(0);
    // the agent's context panel shows the pre-chat answers and the consent
    const answers = agent.getByTestId('context-prechat');
    await answers.waitFor(WAIT);
    await expect.poll(() => answers.textContent(), WAIT).toContain('Delivery');
    expect(await answers.textContent()).toContain('I agree that Parley keeps these answers');

    await visitor.getByTestId('composer-input').fill('Where is my parcel?');
    await visitor.getByTestId('composer-send').click();
    await agent.getByTestId('message').filter({ hasText: 'Where is my parcel?' }).waitFor(WAIT);
    await agent.getByTestId('close-conversation').click();
    await agent.getByTestId('close-dialog').getByTestId('close-confirm').click();

    // the rating card: stars with a label per score, "resolved?", a comment
    const rating = visitor.getByTestId('rating-card');
    await rating.waitFor(WAIT);
    expect(await visitor.getByTestId('conversation-status').textContent()).toContain('Please rate it');
    await visitor.locator('[data-testid="rating-star"][data-score="4"]').click();
    expect(await visitor.getByTestId('rating-label').textContent()).toBe('Satisfied');
    await visitor.getByTestId('rating-resolved-yes').check();
    await visitor.getByTestId('rating-comment').fill('Quick and kind');
    expect(await seriousAxeViolations(visitor, '[data-testid="rating-card"]')).toEqual([]);
    await shoot(visitor, 'rating-card');
    await visitor.getByTestId('rating-submit').click();
    await visitor.getByTestId('rating-success').waitFor(WAIT);
    await visitor.getByTestId('rating-result').waitFor(WAIT);

    const [stored] = await stack.database.db.select().from(ratings);
    expect(stored).toMatchObject({ score: 4, scale: 5, label: 'Satisfied', resolved: true, comment: 'Quick and kind', counted: true });

    // after rating: the status and the composer say it ended and was rated, with a new-conversation action
    await expect.poll(() => visitor.getByTestId('conversation-status').textContent(), WAIT).toContain('You rated it 4 out of 5');
    expect(await visitor.getByTestId('composer-input').getAttribute('placeholder')).toContain('you rated it');
    expect(await visitor.locator('body').textContent()).not.toContain('You can rate it above');
    await visitor.getByTestId('start-new-conversation').waitFor();
    await visitor.reload();
    await visitor.getByTestId('ended-bar').waitFor(WAIT);
    await expect.poll(() => visitor.getByTestId('conversation-status').textContent(), WAIT).toContain('You rated it 4 out of 5');
    await shoot(visitor, 'after-rating');

    // the transcript, downloaded as a text file
    const [download] = await Promise.all([visitor.waitForEvent('download', WAIT), visitor.getByTestId('transcript-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^transcript-[0-9a-f-]{36}\.txt$/);
    const text = fs.readFileSync((await download.path()), 'utf8');
    expect(text).toContain('You: Where is my parcel?');
    expect(text).toContain('Rated 4 of 5 (Satisfied)');

    // and a new conversation starts from here, without the form again (answered already)
    await visitor.getByTestId('start-new-conversation').click();
    await visitor.getByTestId('menu-item').first().waitFor(WAIT);
    expect(await visitor.getByTestId('prechat-form').count()).toBe(0);
  });

  it('the pre-chat form in Chinese, and the admin\'s pre-chat page', async () => {
    const zh = await (await browser.newContext({ viewport: NARROW, locale: 'zh-CN' })).newPage();
    await zh.goto(`${stack.baseUrl}/?locale=zh-CN`);
    await zh.getByTestId('prechat-form').waitFor(WAIT);
    await zh.getByTestId('prechat-submit').click();
    expect(await zh.getByTestId('prechat-error-name').textContent()).toBe('请填写此项。');
    if (SHOTS) await zh.screenshot({ path: path.join(SHOTS, 'prechat-errors-zh-390.png') });

    const admin = await (await browser.newContext({ viewport: WIDE })).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('nav-prechat').click();
    await admin.getByTestId('prechat-admin-form').waitFor(WAIT);
    expect(await admin.getByTestId('prechat-admin-enabled').isChecked()).toBe(true);
    expect(await admin.getByTestId('prechat-admin-field').count()).toBe(1);
    // a change the server refuses (a choice without options) is explained and saves nothing
    await admin.getByTestId('prechat-admin-add-field').click();
    await admin.getByTestId('prechat-admin-field-label').nth(1).fill('Order number');
    await admin.getByTestId('prechat-admin-field-type').nth(1).selectOption('select');
    await admin.getByTestId('prechat-admin-save').click();
    await admin.getByTestId('prechat-admin-error').waitFor(WAIT);
    expect(await admin.getByTestId('prechat-admin-error').textContent()).toContain('option');
    await admin.getByTestId('prechat-admin-field-type').nth(1).selectOption('text');
    await admin.getByTestId('prechat-admin-save').click();
    await admin.getByTestId('prechat-admin-saved').waitFor(WAIT);
    const adminApi = await staffClient(stack.baseUrl, 'admin@parley.local');
    const form = await http<{ fields: Array<{ label: string }> }>(stack.baseUrl, 'GET', '/api/channels/web/prechat-form', { token: adminApi.token });
    adminApi.close();
    expect(form.body.fields.map((f) => f.label)).toEqual(['What is it about?', 'Order number']);
    expect(await seriousAxeViolations(admin, '[data-testid="prechat-admin"]')).toEqual([]);
    await shoot(admin, 'admin-prechat');
  });
});
