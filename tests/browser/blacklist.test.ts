import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { http } from '../helpers/clients.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

/**
 * Issue 22, rule 3 in a real browser: the console's Blacklist page blocks an e-mail address (refusing a
 * malformed phone number with the reason), lists it, switches "end open conversations" off and on, and
 * lifts the block; in English and in Chinese. Screenshots at 1280 and 390 px go to shotsDir('blacklist').
 */
const SHOTS = shotsDir('blacklist');
const LONG_EMAIL = 'a.very.long.mailbox.name.for.someone.who.keeps.coming.back@customer-support.example.com';

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 844 });
}

describe('the blacklist page', () => {
  let stack: Stack;
  let browser: Browser;
  let adminToken: string;
  const api = (method: string, path: string, body?: unknown) => http<any>(stack.baseUrl, method, path, { token: adminToken, body });

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    adminToken = (await http<{ token: string }>(stack.baseUrl, 'POST', '/api/auth/login', { body: { email: 'admin@parley.local', password: TEST_PASSWORD } })).body.token;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('blocks an e-mail address, refuses a malformed phone number, switches the setting and unblocks', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 844 }, locale: 'en-US' })).newPage();
    await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await page.getByTestId('nav-blacklist').click();
    await page.getByTestId('blocked-contact-empty').waitFor(WAIT);
    expect(await page.getByTestId('blocked-contact-close-open').isChecked()).toBe(true);
    await shoot(page, 'empty');

    await page.getByTestId('blocked-contact-kind').selectOption('phone');
    await page.getByTestId('blocked-contact-value').fill('call me maybe');
    await page.getByTestId('blocked-contact-add').click();
    await expect.poll(() => page.getByTestId('blocked-contact-error').textContent(), WAIT).toContain('not a phone number');
    expect((await api('GET', '/api/blocked-contacts')).body.contacts).toEqual([]);
    await shoot(page, 'error');

    await page.getByTestId('blocked-contact-kind').selectOption('email');
    await page.getByTestId('blocked-contact-value').fill(` ${LONG_EMAIL.toUpperCase()} `);
    await page.getByTestId('blocked-contact-reason').fill('Spam in every conversation');
    await page.getByTestId('blocked-contact-add').click();
    await page.getByTestId('blocked-contact-row').filter({ hasText: LONG_EMAIL }).waitFor(WAIT);
    expect(await page.getByTestId('blocked-contact-notice').textContent()).toContain(LONG_EMAIL);
    expect(await page.getByTestId('blocked-contact-row').textContent()).toContain('Spam in every conversation');
    expect((await api('GET', '/api/blocked-contacts')).body.contacts).toMatchObject([{ kind: 'email', value: LONG_EMAIL }]);

    await page.getByTestId('blocked-contact-close-open').uncheck();
    await expect.poll(async () => (await api('GET', '/api/settings/blacklist')).body.closeOpenConversations, WAIT).toBe(false);
    await page.reload();
    await page.getByTestId('blocked-contact-row').first().waitFor(WAIT);
    expect(await page.getByTestId('blocked-contact-close-open').isChecked()).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'listed');

    await page.getByTestId('blocked-contact-remove').click();
    await page.getByTestId('blocked-contact-empty').waitFor(WAIT);
    expect((await api('GET', '/api/blocked-contacts')).body.contacts).toEqual([]);
    await page.getByTestId('blocked-contact-close-open').check();
    await expect.poll(async () => (await api('GET', '/api/settings/blacklist')).body.closeOpenConversations, WAIT).toBe(true);
    await page.context().close();
  });

  it('reads in Chinese', async () => {
    expect((await api('POST', '/api/blocked-contacts', { kind: 'phone', value: '+86 138-0013-8000', reason: '多次骚扰客服' })).status).toBe(201);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 844 }, locale: 'zh-CN' })).newPage();
    await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await page.getByTestId('nav-blacklist').click();
    const row = page.getByTestId('blocked-contact-row').first();
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain('+8613800138000');
    expect(await row.textContent()).toContain('多次骚扰客服');
    expect(await page.locator('h2').first().textContent()).toBe('黑名单');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'zh');
    await page.context().close();
  });
});
