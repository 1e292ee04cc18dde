import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { flows } from '../../db/schema.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

/**
 * Issue 20, the designer's "Try it": an admin runs the draft as a visitor would (the workflows' engine in the
 * browser), sees the hand-off it leads to, saves the run as a test scenario and publishes; a later edit that
 * changes a text the scenario recorded is refused at publish, naming the scenario.
 */
const SHOTS = shotsDir('flow-preview');

const ORDER_FLOW = {
  start: 'welcome',
  variables: ['order', 'shipping'],
  nodes: [
    { id: 'welcome', type: 'message', position: { x: 0, y: 0 }, config: { text: { en: 'Hello ${visitorName}, welcome!', 'zh-CN': '${visitorName}，您好！' } }, edges: [{ on: 'next', to: 'menu' }] },
    {
      id: 'menu', type: 'menu', position: { x: 0, y: 140 },
      config: {
        header: { en: 'How can we help?', 'zh-CN': '请问有什么可以帮您？' },
        items: [{ id: 'order', content: { en: 'Order status', 'zh-CN': '订单状态' } }, { id: 'other', content: { en: 'Something else', 'zh-CN': '其他问题' } }],
      },
      edges: [{ on: 'order', to: 'ask-order' }, { on: 'other', to: 'agent' }, { on: 'fallback', to: 'agent' }],
    },
    {
      id: 'ask-order', type: 'form', position: { x: 320, y: 140 },
      config: {
        prompt: { en: 'Your order number (six digits)?', 'zh-CN': '请输入订单号（六位数字）：' }, formType: 'text', variable: 'order',
        rules: [{ type: 'regex', pattern: '^[0-9]{6}$', message: { en: 'Six digits, please.', 'zh-CN': '请输入六位数字。' } }],
      },
      edges: [{ on: 'next', to: 'lookup' }, { on: 'fallback', to: 'agent' }],
    },
    {
      id: 'lookup', type: 'http', position: { x: 640, y: 140 },
      config: { url: 'https://orders.example.com/orders', method: 'POST', send: ['order'], map: { shipping: 'status' }, timeoutMs: 2000, maxAttempts: 1 },
      edges: [{ on: 'next', to: 'agent' }, { on: 'failure', to: 'agent' }],
    },
    {
      id: 'agent', type: 'handoff', position: { x: 320, y: 320 },
      config: {
        teamId: 'support',
        connecting: { en: 'Connecting you about order ${order}…', 'zh-CN': '正在为您转接（订单 ${order}）…' },
        connected: { en: 'You are chatting with ${agentName}.', 'zh-CN': '您正在与 ${agentName} 对话。' },
        failed: { en: 'Nobody is free right now.', 'zh-CN': '目前没有空闲的客服。' },
      },
      edges: [{ on: 'failed', to: 'bye' }],
    },
    { id: 'bye', type: 'end', position: { x: 640, y: 320 }, config: { text: { en: 'Goodbye!', 'zh-CN': '再见！' } }, edges: [] },
  ],
  settings: { workingHours: null },
};

const marked = (page: Page, nodeId: string) => page.locator(`.vue-flow__node.pv-current [data-testid="designer-node-${nodeId}"]`);

describe('the designer\'s preview and test scenarios in a real browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    await stack.database.db.update(flows).set({ draft: ORDER_FLOW as never }).where(eq(flows.id, 'default'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an admin previews welcome → menu → item → form → hand-off, saves it as a scenario, publishes; a changed text is then refused', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
    const admin = await context.newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.goto(`${stack.baseUrl}/admin/flows/default`);
    await admin.getByTestId('designer-tab-preview').click();
    const panel = admin.getByTestId('designer-preview');
    await panel.waitFor(WAIT);
    const restart = admin.getByTestId('preview-restart');
    await expect.poll(() => restart.isEnabled(), WAIT).toBe(true);
    await admin.getByTestId('scenario-none').waitFor(WAIT);
    expect(await admin.getByTestId('preview-clock').textContent()).toContain('this browser');

    // ---- welcome and menu, as the visitor's chat shows them; the menu is marked on the canvas ----
    await admin.getByTestId('preview-restart').click();
    const list = panel.getByTestId('message-list');
    await list.getByText('Hello Alex, welcome!').waitFor(WAIT);
    await marked(admin, 'menu').waitFor(WAIT);
    expect(await admin.getByTestId('preview-current').getAttribute('data-node-id')).toBe('menu');

    // ---- choose an item, then a wrong and a right answer to the form ----
    await list.locator('[data-testid="menu-item"][data-choice-id="order"]').click();
    await list.getByText('Your order number (six digits)?').waitFor(WAIT);
    await marked(admin, 'ask-order').waitFor(WAIT);
    await admin.getByTestId('preview-answer').fill('12');
    await admin.getByTestId('preview-send').click();
    await list.getByText('Six digits, please.').waitFor(WAIT);
    await admin.getByTestId('preview-answer').fill('123456');
    await admin.getByTestId('preview-send').click();

    // ---- the web hook is stubbed: the admin types its answer (the server-side real call: tests/integration/flows/scenarios.test.ts) ----
    const http = admin.getByTestId('preview-http');
    await http.waitFor(WAIT);
    await marked(admin, 'lookup').waitFor(WAIT);
    expect(await http.textContent()).toContain('POST https://orders.example.com/orders');
    expect(await http.textContent()).toContain('{"order":"123456"}');
    await admin.getByTestId('preview-http-body').fill('{"status":"shipped"}');
    expect(await seriousAxeViolations(admin, '[data-testid="designer-preview"]')).toEqual([]);
    await admin.screenshot({ path: `${SHOTS}/http-stub-en-1280.png` });
    await admin.getByTestId('preview-http-answer').click();

    // ---- the hand-off: the team's queue and the texts the visitor would read; nothing is queued ----
    const handoff = admin.getByTestId('preview-handoff');
    await handoff.waitFor(WAIT);
    await list.getByText('Connecting you about order 123456…').waitFor(WAIT);
    expect(await admin.getByTestId('preview-handoff-team').textContent()).toContain('Support');
    expect(await handoff.textContent()).toContain('You are chatting with Sam.');
    await marked(admin, 'agent').waitFor(WAIT);
    await admin.getByTestId('preview-path').locator('summary').click();
    expect(await admin.getByTestId('preview-path').locator('li').allTextContents()).toEqual(['welcome', 'menu', 'ask-order', 'lookup', 'agent']);
    await admin.getByTestId('preview-vars').locator('summary').click();
    expect(await admin.getByTestId('preview-vars').textContent()).toContain('123456');
    expect(await admin.getByTestId('preview-vars').textContent()).toContain('shipped');
    const queued = await stack.database.pool.query("select count(*)::int as n from conversations where status in ('queued', 'bot')");
    expect(queued.rows[0].n).toBe(0);

    expect(await seriousAxeViolations(admin, '[data-testid="designer-preview"]')).toEqual([]);
    await admin.screenshot({ path: `${SHOTS}/handoff-en-1280.png` });

    // ---- record it as a scenario, save it, publish ----
    await admin.getByTestId('scenario-name').fill('Order status to an agent');
    await admin.getByTestId('scenario-save').click();
    const scenario = admin.locator('[data-testid="scenario"][data-name="Order status to an agent"]');
    await scenario.waitFor(WAIT);
    expect(await scenario.getAttribute('data-outcome')).toBe('passed');
    await scenario.getByTestId('scenario-run').click(); // replays it in the preview
    await expect.poll(() => scenario.getAttribute('data-outcome'), WAIT).toBe('passed');
    await expect.poll(() => admin.getByTestId('flow-designer').getAttribute('data-save-state'), WAIT).toBe('saved');
    await admin.getByTestId('designer-publish').click();
    await expect.poll(() => admin.getByTestId('designer-status').textContent(), WAIT).toContain('Published version 2');
    const version = await stack.database.pool.query("select scenarios from flow_versions where flow_id = 'default' and version = 2");
    expect(version.rows[0].scenarios.map((s: { name: string }) => s.name)).toEqual(['Order status to an agent']);
    expect(await seriousAxeViolations(admin, '[data-testid="designer-preview"]')).toEqual([]);
    await admin.screenshot({ path: `${SHOTS}/scenario-saved-en-1280.png` });

    // ---- a text the scenario recorded changes: publishing is refused, naming the scenario and the step ----
    await admin.getByTestId('designer-node-ask-order').locator('.dn-head').click();
    const prompt = admin.getByTestId('field-config.prompt-text').locator('input, textarea').first();
    await prompt.fill('Order number?');
    await expect.poll(() => admin.getByTestId('flow-designer').getAttribute('data-save-state'), WAIT).toBe('saved');
    await admin.getByTestId('designer-publish').click();
    await expect.poll(() => admin.getByTestId('designer-status').textContent(), WAIT).toContain('"Order status to an agent" fails at step 1');
    expect(await admin.getByTestId('designer-tab-preview').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => scenario.getAttribute('data-outcome'), WAIT).toBe('failed');
    expect(await scenario.getByTestId('scenario-failure').textContent()).toContain('Order number?');
    await list.getByText('Order number?').waitFor(WAIT); // the failing scenario is replayed in the preview
    await marked(admin, 'ask-order').waitFor(WAIT);
    expect(await admin.locator('.vue-flow__node.pv-current').count()).toBe(1);
    expect(await panel.isVisible()).toBe(true);
    expect(await seriousAxeViolations(admin, '[data-testid="designer-preview"]')).toEqual([]);
    await admin.screenshot({ path: `${SHOTS}/publish-refused-en-1280.png` });

    // ---- rename, then delete it: publishing goes through again ----
    await scenario.getByTestId('scenario-rename').click();
    await admin.getByTestId('scenario-rename-input').fill('Old order prompt');
    await admin.getByTestId('scenario-rename-save').click();
    const renamed = admin.locator('[data-testid="scenario"][data-name="Old order prompt"]');
    await renamed.waitFor(WAIT);
    await renamed.getByTestId('scenario-delete').click();
    await renamed.getByTestId('scenario-delete-confirm').click();
    await admin.getByTestId('scenario-none').waitFor(WAIT);
    await admin.getByTestId('designer-publish').click();
    await expect.poll(() => admin.getByTestId('designer-status').textContent(), WAIT).toContain('Published version 3');
    await context.close();
  });

  it('in Chinese, and on a phone (390 px) beside the read-only diagram', async () => {
    const wide = await (await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' })).newPage();
    await staffLogin(wide, `${stack.baseUrl}/admin/login?locale=zh-CN`, 'admin@parley.local');
    await wide.goto(`${stack.baseUrl}/admin/flows/default?locale=zh-CN`);
    await wide.getByTestId('designer-tab-preview').click();
    await expect.poll(() => wide.getByTestId('preview-restart').isEnabled(), WAIT).toBe(true);
    await wide.getByTestId('designer-preview').locator('.pv-options summary').click();
    expect(await wide.getByTestId('preview-locale').inputValue()).toBe('zh-CN'); // the admin's language first
    await wide.getByTestId('preview-locale').selectOption('en');
    await wide.getByTestId('preview-locale').selectOption('zh-CN');
    await wide.getByTestId('preview-restart').click();
    const list = wide.getByTestId('designer-preview').getByTestId('message-list');
    await list.getByText('小明，您好！').waitFor(WAIT);
    await list.locator('[data-testid="menu-item"][data-choice-id="other"]').click();
    await wide.getByTestId('preview-handoff').waitFor(WAIT);
    await wide.getByTestId('preview-handoff-fail').click();
    await list.getByText('再见！').waitFor(WAIT);
    await wide.getByTestId('preview-ended').waitFor(WAIT);
    expect(await seriousAxeViolations(wide, '[data-testid="designer-preview"]')).toEqual([]);
    await wide.screenshot({ path: `${SHOTS}/ended-zh-1280.png` });

    for (const locale of ['en', 'zh-CN'] as const) {
      const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: locale === 'en' ? 'en-US' : 'zh-CN', isMobile: true })).newPage();
      await staffLogin(phone, `${stack.baseUrl}/admin/login?locale=${locale}`, 'admin@parley.local');
      await phone.goto(`${stack.baseUrl}/admin/flows/default?locale=${locale}`);
      await phone.getByTestId('designer-narrow').waitFor(WAIT);
      const restart = phone.getByTestId('preview-restart');
      await expect.poll(() => restart.isEnabled(), WAIT).toBe(true);
      await restart.click();
      await phone.getByTestId('designer-preview').locator('[data-testid="menu-item"][data-choice-id="order"]').click();
      await phone.getByTestId('preview-answer').fill('654321');
      await phone.getByTestId('preview-send').click();
      await phone.getByTestId('preview-http-status').fill('500');
      await phone.getByTestId('preview-http-answer').click(); // the stub: the hook failed, the flow takes `failure`
      await phone.getByTestId('preview-handoff').waitFor(WAIT);
      await phone.getByTestId('preview-handoff').scrollIntoViewIfNeeded();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await seriousAxeViolations(phone, '[data-testid="designer-preview"]')).toEqual([]);
      await phone.screenshot({ path: `${SHOTS}/phone-${locale}-390.png`, fullPage: true });
    }
  });
});
