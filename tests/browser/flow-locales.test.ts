import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

/** Issue 19: an admin edits a flow text's Chinese variant; a Chinese visitor reads the flow in Chinese. */
const SHOTS = shotsDir('i18n-flow');

async function shoot(page: Page, name: string, focus?: Locator, widths: number[] = [1280, 390]) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
    await page.waitForTimeout(150);
    await focus?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: false });
  }
  await page.setViewportSize(original);
}

describe('flow texts per locale in a real browser', () => {
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

  it('an admin removes and adds back a Chinese translation in the flow editor; the draft JSON follows', async () => {
    const admin = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.goto(`${stack.baseUrl}/admin/flows/default`);
    await admin.getByTestId('flow-view-json').click(WAIT); // the translations panel sits beside the raw JSON
    const panel = admin.getByTestId('flow-translations');
    await panel.waitFor(WAIT);
    await panel.getByTestId('flow-translations-owner').selectOption('node:welcome');
    const text = panel.locator('[data-testid="flow-text"][data-path="config.text"]');
    await text.waitFor(WAIT);
    expect(await text.getByTestId('flow-text-input').inputValue()).toBe('Hi ${visitorName}, welcome! We are glad you reached out.');
    await text.locator('[data-testid="flow-text-tab"][data-locale="zh-CN"]').click();
    expect(await text.getByTestId('flow-text-input').inputValue()).toBe('${visitorName}，您好，欢迎！很高兴收到您的咨询。');
    await shoot(admin, 'flow-editor-translations', panel);
    expect(await seriousAxeViolations(admin, '[data-testid="flow-translations"]')).toEqual([]);

    // Removing the last translation turns the text back into a plain string; adding one makes variants again.
    await text.getByTestId('flow-text-remove').click();
    await text.getByTestId('flow-text-add').waitFor(WAIT);
    expect(await admin.getByTestId('flow-json').inputValue()).toContain('"text": "Hi ${visitorName}, welcome! We are glad you reached out."');
    await shoot(admin, 'flow-editor-untranslated', panel);
    await text.getByTestId('flow-text-add').click();
    await text.getByTestId('flow-text-input').fill('你好，${visitorName}！');
    expect(JSON.parse(await admin.getByTestId('flow-json').inputValue()).nodes[0].config.text).toEqual({
      en: 'Hi ${visitorName}, welcome! We are glad you reached out.', 'zh-CN': '你好，${visitorName}！',
    });
    await admin.getByTestId('flow-validate').click();
    await admin.getByTestId('flow-status').filter({ hasText: 'No problems' }).waitFor(WAIT);

    // A translation that drops a placeholder is reported with its path.
    await text.getByTestId('flow-text-input').fill('你好！');
    await admin.getByTestId('flow-validate').click();
    const problem = admin.getByTestId('flow-problem').filter({ hasText: 'config.text.zh-CN' });
    await problem.waitFor(WAIT);
    expect(await problem.getAttribute('data-code')).toBe('placeholder_mismatch');

    // The settings texts the draft leaves out are listed with Parley's defaults; editing one writes it into the draft.
    await panel.getByTestId('flow-translations-owner').selectOption('settings');
    const thanks = panel.locator('[data-testid="flow-text"][data-path="rating.thanksText"]');
    expect(await thanks.getAttribute('data-built-in')).toBe('true');
    await thanks.locator('[data-testid="flow-text-tab"][data-locale="zh-CN"]').click();
    expect(await thanks.getByTestId('flow-text-input').inputValue()).toBe('感谢您的评价！');
    await shoot(admin, 'flow-editor-settings', thanks);
    await thanks.getByTestId('flow-text-input').fill('非常感谢！');
    expect(JSON.parse(await admin.getByTestId('flow-json').inputValue()).settings.rating.thanksText).toEqual({ en: 'Thank you for your feedback!', 'zh-CN': '非常感谢！' });
    expect(await thanks.getAttribute('data-built-in')).toBeNull();
    expect(await seriousAxeViolations(admin, '[data-testid="flow-translations"]')).toEqual([]);

    // While the JSON does not parse, the panel does not edit the last valid draft behind the admin's back.
    await admin.getByTestId('flow-json').fill('{ broken');
    await panel.getByTestId('flow-translations-disabled').waitFor(WAIT);
    expect(await thanks.getByTestId('flow-text-input').isDisabled()).toBe(true);
    await admin.close();
  });

  it('a visitor whose app is in Chinese reads the seeded flow in Chinese', async () => {
    const visitor = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    await visitor.goto(`${stack.baseUrl}/?locale=zh-CN`);
    await visitor.getByText('您好，欢迎！很高兴收到您的咨询。', { exact: false }).waitFor(WAIT);
    await visitor.getByTestId('menu-item').filter({ hasText: '服务时间' }).click();
    await visitor.getByText('我们的客服在工作时间内在线答复', { exact: false }).waitFor(WAIT);
    await shoot(visitor, 'visitor-chat-zh-CN');
    await visitor.close();
  });
});
